package dev.pagi.tck.cli;

import dev.pagi.tck.cli.MethodResults.Outcome;
import dev.pagi.tck.suite.PagiRule;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects one outcome per test method and protocol ({@link MethodResults}), prints a progress line
 * per suite class, and renders the final rule table (rule, level, title, one column per protocol).
 */
final class ResultTable implements TestExecutionListener {
  /** A row: a test method with its rules. */
  record Row(String rules, PagiRule.Level level, String title, String method) {}

  private final PrintStream out;
  private final MethodResults methods = new MethodResults();
  private final Map<String, Row> rows = new TreeMap<>();
  private final Map<String, Map<String, Outcome>> results = new LinkedHashMap<>();
  private final Set<String> columns = new LinkedHashSet<>();
  private final Map<String, int[]> classCounts = new LinkedHashMap<>();

  ResultTable(PrintStream out) {
    this.out = out;
  }

  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    methods.planStarted(plan);
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    methods.skipped(id, reason).ifPresent(o -> record(id, o));
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (id.getSource().orElse(null) instanceof ClassSource cs && id.isContainer()) {
      int[] c = classCounts.getOrDefault(cs.getClassName(), new int[3]);
      out.printf(
          "%-28s %3d passed, %3d failed, %3d skipped%n",
          variant(cs.getJavaClass()), c[0], c[1], c[2]);
      return;
    }
    methods.finished(id, result).ifPresent(o -> record(id, o));
  }

  private void record(TestIdentifier id, Outcome outcome) {
    if (!(id.getSource().orElse(null) instanceof MethodSource ms)) {
      return;
    }
    Method m = ms.getJavaMethod();
    Class<?> cls = ms.getJavaClass();
    String column = protocol(cls);
    columns.add(column);
    String key = m.getDeclaringClass().getSimpleName() + "." + m.getName();
    PagiRule rule = m.getAnnotation(PagiRule.class);
    String rules =
        rule == null
            ? "-"
            : Arrays.stream(rule.value())
                .mapToObj(n -> String.format("%03d", n))
                .collect(Collectors.joining(","));
    rows.putIfAbsent(
        rules + " " + key,
        new Row(rules, rule == null ? PagiRule.Level.MUST : rule.level(), title(m.getName()), key));
    results.computeIfAbsent(rules + " " + key, k -> new LinkedHashMap<>()).put(column, outcome);
    int[] c = classCounts.computeIfAbsent(cls.getName(), k -> new int[3]);
    c[
        switch (outcome.status()) {
          case "PASS" -> 0;
          case "FAIL" -> 1;
          default -> 2;
        }]++;
  }

  private static String variant(Class<?> cls) {
    return cls == null ? "?" : cls.getSimpleName();
  }

  /** The protocol column of a suite class: its name's suffix (H1, H2c, ...). */
  static String protocol(Class<?> cls) {
    String n = cls.getSimpleName();
    for (String p : List.of("H2c", "H2", "H1")) {
      if (n.endsWith(p)) {
        return p.toLowerCase(java.util.Locale.ROOT);
      }
    }
    return n;
  }

  /** {@code rule012_sseSendAfterCloseRaises} becomes {@code sse send after close raises}. */
  static String title(String method) {
    String m = method.replaceFirst("^rule\\d+_", "");
    return m.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
  }

  boolean mustFailed() {
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      if (e.getValue().level() == PagiRule.Level.MUST
          && results.get(e.getKey()).values().stream().anyMatch(o -> o.status().equals("FAIL"))) {
        return true;
      }
    }
    return false;
  }

  int count(String status) {
    return (int)
        results.values().stream()
            .flatMap(m -> m.values().stream())
            .filter(o -> o.status().equals(status))
            .count();
  }

  /** The table as Markdown, then the details of every failure and skip. */
  String markdown() {
    StringBuilder sb = new StringBuilder();
    List<String> cols = new ArrayList<>(columns);
    sb.append("| rule | level | title | ").append(String.join(" | ", cols)).append(" |\n");
    sb.append("|---|---|---|").append("---|".repeat(cols.size())).append('\n');
    List<String> details = new ArrayList<>();
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      sb.append("| ").append(r.rules()).append(" | ").append(r.level()).append(" | ");
      sb.append(r.title()).append(" |");
      for (String c : cols) {
        Outcome o = results.get(e.getKey()).get(c);
        sb.append(' ').append(o == null ? "" : o.status()).append(" |");
        if (o != null && !o.status().equals("PASS")) {
          details.add(
              "- "
                  + o.status()
                  + " "
                  + r.method()
                  + " ["
                  + c
                  + "]: "
                  + Optional.ofNullable(o.detail()).orElse(""));
        }
      }
      sb.append('\n');
    }
    if (!details.isEmpty()) {
      sb.append("\n### Failures and skips\n\n");
      details.forEach(d -> sb.append(d.replace('\n', ' ')).append('\n'));
    }
    return sb.toString();
  }
}
