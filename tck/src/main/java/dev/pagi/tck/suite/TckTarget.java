package dev.pagi.tck.suite;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the suite runs against: a base URL where the TCK app is mounted, the protocol to speak, and
 * the optional capabilities the container offers.
 *
 * @param base the base URL of the TCK app, e.g. {@code http://127.0.0.1:8080/tck}
 * @param protocol the protocol the suite's HTTP client speaks
 * @param capabilities optional features present, e.g. {@code "idle-disconnect"}, {@link
 *     #IN_PROCESS}, {@code "max-body-size=<bytes>"}
 * @param skips tests this target cannot pass, by test method name, each with its reason (the
 *     container's documented skip list)
 */
public record TckTarget(
    URI base, Protocol protocol, Set<String> capabilities, Map<String, String> skips) {

  /**
   * Capability: the server runs in the suite's JVM, so harness-level checks (the adapter's log) are
   * possible.
   */
  public static final String IN_PROCESS = "in-process";

  /**
   * Capability: the container reports a malformed request chunk to the servlet's reader as such, so
   * the adapter can tell it from the client closing (Jetty 12 and Undertow 2.3 do not).
   */
  public static final String CHUNK_ERRORS = "chunk-errors";

  /**
   * A target without skips.
   *
   * @param base the base URL
   * @param protocol the protocol
   * @param capabilities optional features present
   */
  public TckTarget(URI base, Protocol protocol, Set<String> capabilities) {
    this(base, protocol, capabilities, Map.of());
  }

  /**
   * @param test a test method name, e.g. {@code rule079_headerBlockTooLarge431}
   * @param reason why this target cannot pass it
   * @return a copy of this target that skips that test
   */
  public TckTarget skip(String test, String reason) {
    Map<String, String> more = new LinkedHashMap<>(skips);
    more.put(test, reason);
    return new TckTarget(base, protocol, capabilities, Map.copyOf(more));
  }

  /**
   * @return the request-body limit the target's adapter is configured with ({@code
   *     max-body-size=<bytes>} capability; the adapter's default of 10 MiB otherwise)
   */
  public long maxBodySize() {
    for (String c : capabilities) {
      if (c.startsWith("max-body-size=")) {
        return Long.parseLong(c.substring("max-body-size=".length()));
      }
    }
    return 10L << 20;
  }

  /**
   * Capability: the server notices a client that closes an idle SSE stream without waiting for a
   * write.
   */
  public static final String IDLE_DISCONNECT = "idle-disconnect";

  /** The protocol a high-level client speaks to the target. */
  public enum Protocol {
    /** HTTP/1.1. */
    H1,
    /** HTTP/2 over cleartext with prior knowledge. */
    H2C
  }

  /**
   * @param path an absolute path below the base, e.g. {@code /http/echo}
   * @return the full URI
   */
  public URI uri(String path) {
    String b = base.toString();
    if (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + path);
  }

  /**
   * @return the raw path of the base without a trailing slash ({@code ""} at the root)
   */
  public String rootPath() {
    String p = base.getRawPath();
    return p == null || p.equals("/") ? "" : p.replaceAll("/$", "");
  }

  /**
   * @param capability a capability name
   * @return whether the target declares it
   */
  public boolean has(String capability) {
    return capabilities.contains(capability);
  }
}
