package io.sfmcsuppression.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and spread of a handful of repetitions, and percentiles of latencies. */
record Stats(double median, double min, double max, int n) {

    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }

    /** Nearest-rank percentile (p in 0..100) of the given values. */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** (max - min) / median: how far apart the repetitions were, relative to the figure. */
    double relativeSpread() {
        return median == 0 ? 0 : (max - min) / median;
    }

    /** "0.62 (0.55–0.70, ±12 %, n=5)" with the given number format. */
    String format(String number) {
        return String.format(Locale.ROOT, number + " (" + number + "–" + number + ", spread %.0f %%, n=%d)",
                median, min, max, 100 * relativeSpread(), n);
    }
}
