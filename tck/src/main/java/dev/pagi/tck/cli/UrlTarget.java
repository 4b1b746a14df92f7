package dev.pagi.tck.cli;

import dev.pagi.tck.suite.TckTarget;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/** The target given on the command line, read by the {@link ByUrl} suite classes. */
final class UrlTarget {
  private static volatile URI base;
  private static volatile Set<String> capabilities = Set.of();
  private static volatile String h2cProblem = "not checked";

  private UrlTarget() {}

  static void set(URI uri, Set<String> caps, String h2cReason) {
    base = uri;
    capabilities = Set.copyOf(caps);
    h2cProblem = h2cReason;
  }

  static TckTarget get(TckTarget.Protocol protocol) {
    if (base == null) {
      throw new IllegalStateException("no --base-url given");
    }
    return new TckTarget(base, protocol, capabilities);
  }

  /** Skips the calling test unless the target declares WebSocket over HTTP/2 (RFC 8441). */
  static void requireRfc8441() {
    requireH2c();
    Assumptions.assumeTrue(
        capabilities.contains("rfc8441"),
        "WebSocket over HTTP/2 (RFC 8441) not declared: add --capabilities rfc8441 when the"
            + " container offers it");
  }

  /** Skips the calling test unless the target offers h2c. */
  static void requireH2c() {
    Assumptions.assumeTrue(capabilities.contains("h2c"), () -> "h2c not available: " + h2cProblem);
  }
}
