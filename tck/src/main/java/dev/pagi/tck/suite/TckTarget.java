package dev.pagi.tck.suite;

import java.net.URI;
import java.util.Set;

/**
 * What the suite runs against: a base URL where the TCK app is mounted, the protocol to speak, and
 * the optional capabilities the container offers.
 *
 * @param base the base URL of the TCK app, e.g. {@code http://127.0.0.1:8080/tck}
 * @param protocol the protocol the suite's HTTP client speaks
 * @param capabilities optional features present, e.g. {@code "idle-disconnect"}
 */
public record TckTarget(URI base, Protocol protocol, Set<String> capabilities) {

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
