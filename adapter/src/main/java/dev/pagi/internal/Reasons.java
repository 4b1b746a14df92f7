package dev.pagi.internal;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Maps I/O failures reported by containers to the spec's standard disconnect reasons. */
public final class Reasons {
  private Reasons() {}

  public static final String CLIENT_CLOSED = "client_closed";
  public static final String CLIENT_TIMEOUT = "client_timeout";
  public static final String WRITE_ERROR = "write_error";
  public static final String READ_ERROR = "read_error";
  public static final String PROTOCOL_ERROR = "protocol_error";
  public static final String SERVER_ERROR = "server_error";
  public static final String SERVER_SHUTDOWN = "server_shutdown";
  public static final String BODY_TOO_LARGE = "body_too_large";
  public static final String IDLE_TIMEOUT = "idle_timeout";
  public static final String KEEPALIVE_TIMEOUT = "keepalive_timeout";
  public static final String QUEUE_OVERFLOW = "queue_overflow";

  /**
   * @param t what the container reported
   * @param writing whether it came from the write side
   * @return the reason
   */
  public static String of(Throwable t, boolean writing) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String name = c.getClass().getSimpleName();
      String msg = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (name.contains("TooBig") || name.contains("TooLarge")) {
        // Undertow's RequestTooBigException: the container's own body limit was hit first.
        return BODY_TOO_LARGE;
      }
      if (name.contains("BadMessage") || name.contains("Bad") && name.contains("Request")) {
        return PROTOCOL_ERROR;
      }
      if (c instanceof TimeoutException || name.contains("Timeout")) {
        return CLIENT_TIMEOUT;
      }
      if (c instanceof java.io.EOFException
          || name.contains("Eof")
          || name.contains("ClientAbort")
          || name.contains("ClosedChannel")
          || name.contains("StreamReset")
          || msg.contains("reset")
          || msg.contains("broken pipe")
          || msg.contains("closed")
          || msg.contains("eof")) {
        return CLIENT_CLOSED;
      }
    }
    if (t instanceof IOException) {
      return writing ? WRITE_ERROR : READ_ERROR;
    }
    return writing ? WRITE_ERROR : READ_ERROR;
  }
}
