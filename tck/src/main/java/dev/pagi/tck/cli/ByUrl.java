package dev.pagi.tck.cli;

import dev.pagi.tck.suite.HttpRules;
import dev.pagi.tck.suite.SseFaultRules;
import dev.pagi.tck.suite.SseRules;
import dev.pagi.tck.suite.SseStateMatrixRules;
import dev.pagi.tck.suite.TckTarget;
import dev.pagi.tck.suite.WebSocketFaultRules;
import dev.pagi.tck.suite.WebSocketRules;
import dev.pagi.tck.suite.WebSocketStateMatrixRules;
import org.junit.jupiter.api.BeforeEach;

/**
 * The suite classes bound to the command line's target, one per rule group and protocol. The
 * container test classes in the build do the same with {@code @Nested} classes.
 */
public final class ByUrl {
  private ByUrl() {}

  /** {@link HttpRules} over HTTP/1.1. */
  public static class HttpH1 extends HttpRules {
    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H1);
    }
  }

  /** {@link HttpRules} over h2c. */
  public static class HttpH2c extends HttpRules {
    @BeforeEach
    void requireH2c() {
      UrlTarget.requireH2c();
    }

    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H2C);
    }
  }

  /** {@link SseRules} over HTTP/1.1. */
  public static class SseH1 extends SseRules {
    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H1);
    }
  }

  /** {@link SseRules} over h2c. */
  public static class SseH2c extends SseRules {
    @BeforeEach
    void requireH2c() {
      UrlTarget.requireH2c();
    }

    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H2C);
    }
  }

  /** {@link WebSocketRules} over HTTP/1.1. */
  public static class WebSocketH1 extends WebSocketRules {
    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H1);
    }
  }

  /** {@link WebSocketRules} over HTTP/2 (RFC 8441), only when declared. */
  public static class WebSocketH2c extends WebSocketRules {
    @BeforeEach
    void requireRfc8441() {
      UrlTarget.requireRfc8441();
    }

    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H2C);
    }
  }

  /** {@link SseStateMatrixRules} over HTTP/1.1. */
  public static class SseStateH1 extends SseStateMatrixRules {
    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H1);
    }
  }

  /** {@link SseStateMatrixRules} over h2c. */
  public static class SseStateH2c extends SseStateMatrixRules {
    @BeforeEach
    void requireH2c() {
      UrlTarget.requireH2c();
    }

    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H2C);
    }
  }

  /** {@link WebSocketStateMatrixRules} over HTTP/1.1 (it reads frames on a raw socket). */
  public static class WebSocketStateH1 extends WebSocketStateMatrixRules {
    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H1);
    }
  }

  /** {@link SseFaultRules} over HTTP/1.1. */
  public static class SseFaultH1 extends SseFaultRules {
    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H1);
    }
  }

  /** {@link SseFaultRules} over h2c. */
  public static class SseFaultH2c extends SseFaultRules {
    @BeforeEach
    void requireH2c() {
      UrlTarget.requireH2c();
    }

    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H2C);
    }
  }

  /** {@link WebSocketFaultRules} over HTTP/1.1 (a raw socket). */
  public static class WebSocketFaultH1 extends WebSocketFaultRules {
    @Override
    protected TckTarget target() {
      return UrlTarget.get(TckTarget.Protocol.H1);
    }
  }
}
