package dev.pagi.bench;

import java.util.Arrays;
import java.util.List;

/** Medians, percentiles and ratios. */
final class Stats {
  private Stats() {}

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** Percentile {@code p} (0-100) of the first {@code n} samples, nearest-rank. */
  static long percentile(long[] samples, int n, double p) {
    if (n == 0) {
      return -1;
    }
    long[] v = Arrays.copyOf(samples, n);
    Arrays.sort(v);
    int rank = (int) Math.ceil(p / 100.0 * n);
    return v[Math.max(0, Math.min(n - 1, rank - 1))];
  }

  static String ratio(double pagi, double baseline) {
    if (Double.isNaN(pagi) || Double.isNaN(baseline) || baseline == 0) {
      return "n/a";
    }
    return String.format("%.2f×", pagi / baseline);
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 100) {
      return String.format("%,.0f", v);
    }
    return String.format("%.2f", v);
  }
}
