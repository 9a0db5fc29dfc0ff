package io.sfmcsuppression.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}) went: the hottest methods by
 * self time (top frame) and by total time (anywhere on the stack), plus the service's own methods
 * ({@code io.sfmcsuppression}) by total time. The same as reading {@code jfr print --events
 * jdk.ExecutionSample}, counted. Run it from source:
 * {@code java bench/src/main/java/io/sfmcsuppression/bench/JfrTop.java recording.jfr [rows]}.
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            RecordedStackTrace stack = event.getStackTrace();
            List<RecordedFrame> frames = stack.getFrames();
            if (!frames.isEmpty()) {
                self.merge(name(frames.get(0)), 1, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                if (seen.add(name(frame))) {
                    total.merge(name(frame), 1, Integer::sum);
                }
            }
        }
        System.out.println(samples + " execution samples in " + args[0]);
        print("self (top frame)", self, samples, rows, "");
        print("total (on the stack)", total, samples, rows, "");
        print("service code, total", total, samples, rows, "io.sfmcsuppression.");
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int rows, String prefix) {
        System.out.println();
        System.out.println("## " + title);
        counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(rows)
                .forEach(e -> System.out.printf("%5.1f %%  %6d  %s%n", 100.0 * e.getValue() / samples, e.getValue(), e.getKey()));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
