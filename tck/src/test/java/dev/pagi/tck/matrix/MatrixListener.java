package dev.pagi.tck.matrix;

import dev.pagi.tck.cli.MethodResults;
import dev.pagi.tck.suite.PagiRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Records every TCK test outcome of a container run (one line per test method and
 * container/protocol column; a parameterized method's invocations fold into one, see {@link
 * MethodResults}) under {@code target/tck-results/}, and re-renders {@code target/tck-matrix.md}
 * from all runs so far (the Tomcat 10.1 run is a separate surefire execution). Results are appended
 * and the latest outcome per test and column wins, so a partial run ({@code -Dtest=...}) refreshes
 * its cells without erasing the others; {@code mvn clean} starts over. Registered through {@code
 * META-INF/services} for the tck module's tests only.
 */
public final class MatrixListener implements TestExecutionListener {
  static final Path RESULTS = Path.of("target", "tck-results");

  private static Path file(String column) {
    return RESULTS.resolve(column.replaceAll("[^A-Za-z0-9.-]", "_") + ".tsv");
  }

  private final MethodResults methods = new MethodResults();

  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    methods.planStarted(plan);
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    methods.skipped(id, reason).ifPresent(o -> write(id, o.status(), o.detail()));
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    methods.finished(id, result).ifPresent(o -> write(id, o.status(), o.detail()));
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    try {
      Matrix.render(RESULTS, Path.of("target", "tck-matrix.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(TestIdentifier id, String status, String detail) {
    if (!(id.getSource().orElse(null) instanceof MethodSource ms)) {
      return;
    }
    Method m = ms.getJavaMethod();
    PagiRule rule = m.getAnnotation(PagiRule.class);
    String column = column(ms.getJavaClass());
    if (rule == null || column == null) {
      return;
    }
    String rules =
        Arrays.stream(rule.value())
            .mapToObj(n -> String.format("%03d", n))
            .collect(Collectors.joining(","));
    String line =
        String.join(
                "\t",
                rules,
                rule.level().name(),
                m.getDeclaringClass().getSimpleName() + "." + m.getName(),
                column,
                status,
                detail == null ? "" : detail.replaceAll("[\t\r\n]+", " "))
            + "\n";
    try {
      Files.createDirectories(RESULTS);
      Files.writeString(
          file(column),
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code JettyTckTest$H2c} becomes {@code jetty h2c}; the Tomcat run is labelled with the Tomcat
   * version the surefire execution puts on the class path ({@code tck.container.label}).
   */
  static String column(Class<?> cls) {
    Class<?> outer = cls.getEnclosingClass();
    if (outer == null || !outer.getSimpleName().endsWith("TckTest")) {
      return null;
    }
    String container = outer.getSimpleName().replace("TckTest", "").toLowerCase();
    String label = System.getProperty("tck.container.label." + container);
    if (label != null) {
      container = label;
    }
    return container + " " + cls.getSimpleName().toLowerCase();
  }
}
