package dev.pagi.internal;

/**
 * Outbound operations on one open WebSocket session, all non-blocking for the caller: each reports
 * its outcome through a {@link Done}, possibly on the calling thread before the method returns. The
 * caller keeps at most one operation in flight ({@link WebSocketOutbound}), which is what the
 * Jakarta API requires of asynchronous sends.
 *
 * <p>The container does all framing (masking, fragmentation, permessage-deflate); this interface
 * only chooses the container call. {@link JakartaWire} is the portable implementation; container
 * support may supply a better one ({@link ContainerSupport#webSocketWire}).
 */
public interface WebSocketWire {

  /** The outcome of one operation. */
  @FunctionalInterface
  interface Done {
    /**
     * @param failure {@code null} when the container took the frame(s)
     */
    void completed(Throwable failure);
  }

  /** A whole text message. */
  void text(String text, Done done);

  /** A whole binary message. */
  void binary(byte[] data, Done done);

  /**
   * One fragment of a streamed message.
   *
   * @param text the fragment for a text message, or {@code null}
   * @param data the fragment for a binary message when {@code text} is null
   * @param first whether this fragment starts the message (fixes text or binary)
   * @param last whether it ends the message
   */
  void fragment(String text, byte[] data, boolean first, boolean last, Done done);

  /** A Ping with the given payload (at most 125 bytes). */
  void ping(byte[] payload, Done done);

  /** A Close frame; the container then waits for the peer's Close. */
  void close(int code, String reason, Done done);

  /**
   * Drops the connection without (or without waiting for) a close handshake. Idempotent.
   *
   * @param code the close code to send where the container cannot drop the connection outright
   * @param reason its reason text
   */
  void abort(int code, String reason);
}
