package dev.pagi.tck.suite;

import java.io.IOException;

/**
 * The test kit's raw-socket WebSocket client bound to a {@link TckTarget}: it connects to the
 * target's host and port and puts the target's root path in front of handshake paths.
 */
public final class RawWebSocket extends dev.pagi.testkit.RawWebSocket {
  /**
   * Connects to the target's host and port.
   *
   * @param target the target
   * @throws IOException when the connection fails
   */
  public RawWebSocket(TckTarget target) throws IOException {
    super(target.base());
  }

  /**
   * Sends a handshake request with {@link #SAMPLE_KEY}.
   *
   * @param target the target (for the root path)
   * @param path the path below the base, with any query
   * @param extraHeaders more header lines, e.g. {@code Sec-WebSocket-Protocol: chat}
   * @return this
   * @throws IOException when the write fails
   */
  public RawWebSocket handshake(TckTarget target, String path, String... extraHeaders)
      throws IOException {
    handshake(target.rootPath() + path, extraHeaders);
    return this;
  }
}
