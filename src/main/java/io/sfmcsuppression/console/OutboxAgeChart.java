package io.sfmcsuppression.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long the rows still waiting for SFMC (PENDING) have waited, in age bands, as horizontal bars
 * for a server-rendered SVG. A healthy outbox is all in the first band; rows in the later bands are
 * what to look at (SFMC down, throttled, or the flusher paused).
 *
 * @param bands one per age band, youngest first
 * @param max   the largest band's rows; 0 when nothing waits
 */
public record OutboxAgeChart(List<Band> bands, long max) {

    /** The upper bounds of the bands (the last one is open). */
    static final List<Duration> LIMITS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1),
            Duration.ofHours(6), Duration.ofDays(1));
    private static final List<String> LABELS = List.of("under 1 min", "1–10 min", "10–60 min", "1–6 h", "6–24 h", "over 1 day");
    public static final int WIDTH = 720;
    static final int LABEL_WIDTH = 110;
    static final int ROW = 26;
    static final int BAR = 18;
    static final int COUNT_WIDTH = 70;

    /** One age band: its bar's geometry and where its count is written. */
    public record Band(String label, long rows, double y, double width, double textY, double countX) {
    }

    /** The chart of {@code rowsPerBand}: rows per band, youngest first, as many as {@link #LIMITS} plus one. */
    static OutboxAgeChart of(List<Long> rowsPerBand) {
        if (rowsPerBand.size() != LABELS.size()) {
            throw new IllegalArgumentException("one count per age band: " + LABELS.size());
        }
        long max = rowsPerBand.stream().mapToLong(Long::longValue).max().orElse(0);
        double plot = WIDTH - LABEL_WIDTH - COUNT_WIDTH;
        List<Band> bands = new ArrayList<>();
        for (int i = 0; i < LABELS.size(); i++) {
            long rows = rowsPerBand.get(i);
            double width = max == 0 ? 0 : Math.round(plot * rows / max * 10) / 10.0;
            double y = i * ROW + (ROW - BAR) / 2.0;
            bands.add(new Band(LABELS.get(i), rows, y, width, y + BAR - 4, LABEL_WIDTH + width + 6));
        }
        return new OutboxAgeChart(bands, max);
    }

    /** The SVG's height: one row per band. */
    public int height() {
        return LABELS.size() * ROW;
    }

    /** The x where the band labels end. */
    public int labelX() {
        return LABEL_WIDTH - 8;
    }

    /** The x where the bars start (the labels end before it). */
    public int left() {
        return LABEL_WIDTH;
    }
}
