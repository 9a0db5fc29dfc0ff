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

    /**
     * CPU seconds used so far by the local PostgreSQL server: every process named postgres (user +
     * system), plus the CPU of its ended children (backends of closed connections) as the
     * postmaster's cutime/cstime holds it. NaN when it cannot be read (a remote server).
     */
    static double postgresCpuSeconds() {
        long ticks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                int close = stat.lastIndexOf(')');
                if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks == 0 ? Double.NaN : ticks / 100.0;
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
