package dev.pagi.tck.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * One outcome per test method, for reports keyed by method: a plain test's own, or for a
 * parameterized test the worst of its invocations (FAIL over PASS over SKIP), with the names of the
 * cells that did not pass. JUnit reports a parameterized method itself as successful even when an
 * invocation failed, so its invocations are folded here and the method's outcome is given when it
 * finishes.
 */
public final class MethodResults {

  /**
   * One method's outcome.
   *
   * @param status {@code PASS}, {@code FAIL} or {@code SKIP}
   * @param detail why it did not pass, or empty
   */
  public record Outcome(String status, String detail) {}

  private final Map<String, Outcome> pending = new HashMap<>();
  private TestPlan plan;

  /**
   * @param plan the plan being executed (to find an invocation's method)
   */
  public synchronized void planStarted(TestPlan plan) {
    this.plan = plan;
  }

  /**
   * @param id a finished test or container
   * @param result its result
   * @return the outcome to record for its method, or empty (not a method, or an invocation whose
   *     method reports later)
   */
  public synchronized Optional<Outcome> finished(TestIdentifier id, TestExecutionResult result) {
    Outcome o =
        switch (result.getStatus()) {
          case SUCCESSFUL -> new Outcome("PASS", "");
          case ABORTED ->
              new Outcome("SKIP", result.getThrowable().map(Throwable::getMessage).orElse(""));
          case FAILED ->
              new Outcome(
                  "FAIL",
                  result
                      .getThrowable()
                      .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
                      .orElse("failed"));
        };
    return outcome(id, o, result.getStatus() == TestExecutionResult.Status.FAILED);
  }

  /**
   * @param id a skipped test or container
   * @param reason why
   * @return the outcome to record for its method, or empty
   */
  public synchronized Optional<Outcome> skipped(TestIdentifier id, String reason) {
    return outcome(id, new Outcome("SKIP", reason), true);
  }

  private Optional<Outcome> outcome(TestIdentifier id, Outcome o, boolean ownCounts) {
    if (!(id.getSource().orElse(null) instanceof MethodSource)) {
      return Optional.empty();
    }
    Optional<TestIdentifier> parent = plan == null ? Optional.empty() : plan.getParent(id);
    if (parent.isPresent() && isMethod(parent.get())) {
      Outcome named =
          o.status().equals("PASS")
              ? o
              : new Outcome(o.status(), "[" + id.getDisplayName() + "] " + o.detail());
      pending.merge(parent.get().getUniqueId(), named, MethodResults::worse);
      return Optional.empty();
    }
    if (id.isContainer()) {
      Outcome folded = pending.remove(id.getUniqueId());
      if (folded == null) {
        return Optional.of(o);
      }
      return Optional.of(ownCounts ? worse(folded, o) : folded);
    }
    return Optional.of(o);
  }

  private static boolean isMethod(TestIdentifier id) {
    return id.isContainer() && id.getSource().orElse(null) instanceof MethodSource;
  }

  private static int rank(Outcome o) {
    return switch (o.status()) {
      case "FAIL" -> 2;
      case "PASS" -> 1;
      default -> 0;
    };
  }

  private static Outcome worse(Outcome a, Outcome b) {
    if (rank(a) != rank(b)) {
      return rank(a) > rank(b) ? a : b;
    }
    return a.status().equals("FAIL") ? new Outcome("FAIL", a.detail() + " | " + b.detail()) : a;
  }
}
