package dev.pagi.internal;

/**
 * How the container's close of a session becomes a {@code websocket.disconnect}.
 *
 * <p>The Jakarta API does not say who detected a fault, and containers differ: Jetty reports it
 * through {@code onError} and closes with the code it sent, Tomcat closes with that code without
 * {@code onError}, Undertow reports {@code onError} and then 1006. So the fault codes a server
 * sends itself map to their token whoever sent them (1002 and 1007 to {@code protocol_error}, 1009
 * to {@code body_too_large}), and a 1006 after a protocol fault becomes the code the server sent
 * for it. Every other code is the peer's own, with its text (1005 when the Close carried none).
 */
final class WebSocketCloses {
  private WebSocketCloses() {}

  /** A {@code websocket.disconnect}'s fields. */
  record Disconnect(int code, String reason) {}

  /**
   * @param code the close code the container reported
   * @param text the close reason text it reported
   * @param error what {@code onError} reported before, or {@code null}
   * @return the disconnect for the application
   */
  static Disconnect of(int code, String text, Throwable error) {
    if (code == 1006) {
      int fault = faultCode(error);
      if (fault != 0) {
        code = fault;
      }
    }
    String reason =
        switch (code) {
          case 1006 ->
              Reasons.of(error, false).equals(Reasons.CLIENT_TIMEOUT)
                  ? Reasons.CLIENT_TIMEOUT
                  : Reasons.CLIENT_CLOSED;
          case 1002, 1007 -> Reasons.PROTOCOL_ERROR;
          case 1009 -> Reasons.BODY_TOO_LARGE;
          case 1011 -> error != null ? Reasons.SERVER_ERROR : text;
          default -> text == null ? "" : text;
        };
    return new Disconnect(code, reason == null ? "" : reason);
  }

  /** The close code a container sends for the protocol fault {@code error} names, or 0. */
  static int faultCode(Throwable error) {
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (c instanceof java.nio.charset.CharacterCodingException
          || c instanceof java.io.UnsupportedEncodingException) {
        return 1007;
      }
      String name = c.getClass().getSimpleName();
      if (name.contains("Utf8") || name.contains("UTF8") || name.contains("BadPayload")) {
        return 1007;
      }
      if (name.contains("TooLarge") || name.contains("TooBig")) {
        return 1009;
      }
      if (name.contains("Corrupted") || name.contains("ProtocolException")) {
        return 1002;
      }
    }
    return 0;
  }
}
