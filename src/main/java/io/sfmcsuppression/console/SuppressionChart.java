package io.sfmcsuppression.console;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Suppressions SFMC confirmed per day (the date added) and data extension, laid out as stacked
 * bars for a server-rendered SVG: all geometry is computed here, the template only draws it.
 *
 * @param days   the days shown, oldest first, each with its rows per list
 * @param lists  the data extensions in the chart, each with its colour
 * @param bars   one rectangle per day and list with rows
 * @param ticks  the y axis labels
 * @param max    the tallest day's total; 0 when the chart is empty
 */
public record SuppressionChart(List<Day> days, List<Series> lists, List<Bar> bars, List<Tick> ticks, long max) {

    /** Width and height of the SVG's view box, and the plot area inside it. */
    public static final int WIDTH = 720;
    public static final int HEIGHT = 260;
    static final int LEFT = 56;
    static final int RIGHT = 12;
    static final int TOP = 12;
    static final int BOTTOM = 36;

    /**
     * Colours that keep at least 3:1 contrast against the white page (WCAG non-text contrast)
     * and stay apart for the common colour-vision deficiencies (Okabe-Ito, darkened).
     */
    private static final List<String> COLOURS = List.of("#0060a8", "#b35c00", "#007a5e", "#a8326e", "#5a4a9c",
            "#8a6d00", "#3b6e8f", "#9c2b00");

    /** One day on the x axis. */
    public record Day(LocalDate date, String label, long total, Map<String, Long> perList, double labelX, boolean labelled) {
    }

    /** A data extension and its colour. */
    public record Series(String list, String colour) {
    }

    /** One stacked segment. */
    public record Bar(double x, double y, double width, double height, String colour, String title) {
    }

    /** A y axis label and its grid line. */
    public record Tick(double y, long value) {

        /** The baseline of the label, centred on the grid line. */
        public double textY() {
            return y + 4;
        }
    }

    static SuppressionChart of(LocalDate firstDay, int dayCount, List<ConsoleRepository.DailyCount> counts) {
        TreeSet<String> names = new TreeSet<>();
        counts.forEach(c -> names.add(c.dataExtensionKey()));
        List<Series> lists = new ArrayList<>();
        for (String name : names) {
            lists.add(new Series(name, COLOURS.get(lists.size() % COLOURS.size())));
        }
        Map<LocalDate, Map<String, Long>> perDay = new LinkedHashMap<>();
        for (int i = 0; i < dayCount; i++) {
            perDay.put(firstDay.plusDays(i), new LinkedHashMap<>());
        }
        counts.forEach(c -> perDay.computeIfPresent(c.day(), (d, m) -> {
            m.merge(c.dataExtensionKey(), c.rows(), Long::sum);
            return m;
        }));
        long max = perDay.values().stream().mapToLong(m -> m.values().stream().mapToLong(Long::longValue).sum()).max().orElse(0);

        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = plotWidth / dayCount;
        double barWidth = Math.max(2, slot * 0.7);
        // A label every few days, so that they never overlap however many days are shown.
        int labelEvery = Math.max(1, (int) Math.ceil(dayCount / 10.0));
        List<Day> days = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        int index = 0;
        for (Map.Entry<LocalDate, Map<String, Long>> day : perDay.entrySet()) {
            double x = LEFT + index * slot + (slot - barWidth) / 2;
            double base = TOP + plotHeight;
            for (Series series : lists) {
                long rows = day.getValue().getOrDefault(series.list(), 0L);
                if (rows > 0) {
                    double height = plotHeight * rows / max;
                    base -= height;
                    bars.add(new Bar(round(x), round(base), round(barWidth), round(height), series.colour(),
                            day.getKey() + ", " + series.list() + ": " + rows));
                }
            }
            long total = day.getValue().values().stream().mapToLong(Long::longValue).sum();
            days.add(new Day(day.getKey(), day.getKey().toString().substring(5), total, day.getValue(),
                    round(x + barWidth / 2), (dayCount - 1 - index) % labelEvery == 0));
            index++;
        }
        List<Tick> ticks = new ArrayList<>();
        if (max > 0) {
            for (long value : new TreeSet<>(List.of(0L, max / 2, max))) {
                ticks.add(new Tick(round(TOP + plotHeight - plotHeight * value / max), value));
            }
        }
        return new SuppressionChart(days, lists, bars, ticks, max);
    }

    /** The y of the x axis labels. */
    public int labelY() {
        return HEIGHT - BOTTOM + 20;
    }

    /** The x where the y axis labels end. */
    public int tickX() {
        return LEFT - 6;
    }

    /** The x where the plot starts (the y axis). */
    public int left() {
        return LEFT;
    }

    /** The x where the plot ends. */
    public int right() {
        return WIDTH - RIGHT;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
