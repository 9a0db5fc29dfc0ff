package io.sfmcsuppression.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the machine is and how busy it is: the context every number needs on a shared box. */
final class Machine {

    private Machine() {
    }

    /** The 1-, 5- and 15-minute load averages, as /proc/loadavg has them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The 1-minute load average, for medians across a run. */
    static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static String describe() {
        return String.format("%d cores (%s), %s MB RAM, Java %s (%s), %s",
                Runtime.getRuntime().availableProcessors(), cpuModel().orElse("unknown CPU"),
                memTotalMb().orElse("?"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    private static Optional<String> cpuModel() {
        return grep("/proc/cpuinfo", "model name").map(line -> line.substring(line.indexOf(':') + 1).trim());
    }

    private static Optional<String> memTotalMb() {
        return grep("/proc/meminfo", "MemTotal:")
                .map(line -> String.valueOf(Long.parseLong(line.replaceAll("\\D", "")) / 1024));
    }

    private static Optional<String> grep(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
