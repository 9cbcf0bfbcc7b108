package io.duckload.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics of a list of measurements in milliseconds. */
record Stats(double[] sorted) {

    static Stats of(List<Double> values) {
        double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(array);
        return new Stats(array);
    }

    double percentile(double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    double median() {
        return percentile(50);
    }

    int count() {
        return sorted.length;
    }
}
