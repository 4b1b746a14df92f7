package dev.pagi.internal;

import dev.pagi.Header;
import dev.pagi.ProtocolException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Response pieces every exchange shares: the status field, applying app headers to the servlet
 * response, the server's own 500, and unwrapping failures of the application's stage.
 */
final class Responses {
  private Responses() {}

  private static final byte[] SERVER_ERROR_BODY =
      "Internal Server Error".getBytes(StandardCharsets.US_ASCII);

  /**
   * @param event the event
   * @param type its type, for messages
   * @param otherwise the default, or {@code null} when the field is required
   * @return the {@code status} field, an HTTP status 100-999
   */
  static int status(Map<String, Object> event, String type, Long otherwise) {
    long status = Fields.integer(event, type, "status", otherwise);
    if (status < 100 || status > 999) {
      throw Messages.fieldType(type, "status", "an HTTP status 100-999", event.get("status"));
    }
    return (int) status;
  }

  /**
   * Sets the status and the application's headers. {@code Transfer-Encoding} is the container's
   * business and skipped; {@code Content-Length} goes through {@code setContentLengthLong}; a
   * {@code Date} is added when neither the application nor the container gave one.
   *
   * @param resp the response, not yet committed
   * @param type the event type, for messages
   * @param status the status
   * @param headers validated headers
   * @return the lower-case names of the headers the application set
   * @throws ProtocolException when a Content-Length is not a byte count
   */
  static Set<String> apply(
      HttpServletResponse resp, String type, int status, List<Header> headers) {
    Set<String> names = new HashSet<>();
    applyHeaders(resp, type, status, headers, names);
    return names;
  }

  /**
   * {@link #apply} without collecting the names, for callers that do not look at them.
   *
   * @return whether the application gave a {@code Content-Length}
   * @throws ProtocolException when a Content-Length is not a byte count
   */
  static boolean applyHeaders(
      HttpServletResponse resp, String type, int status, List<Header> headers) {
    return applyHeaders(resp, type, status, headers, null);
  }

  private static boolean applyHeaders(
      HttpServletResponse resp, String type, int status, List<Header> headers, Set<String> names) {
    resp.setStatus(status);
    boolean date = false;
    boolean length = false;
    boolean contentType = false;
    for (Header h : headers) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (name.equals("transfer-encoding")) {
        continue;
      }
      if (names != null) {
        names.add(name);
      }
      if (name.equals("date")) {
        if (!date) {
          // Replaces a Date the container may already have put on the response.
          date = true;
          resp.setHeader(h.name(), h.value());
        } else {
          resp.addHeader(h.name(), h.value());
        }
        continue;
      }
      if (name.equals("content-type") && !contentType) {
        // The container's own setter: it takes the known header without looking its name up.
        contentType = true;
        resp.setContentType(h.value());
        continue;
      }
      if (name.equals("content-length")) {
        try {
          resp.setContentLengthLong(Long.parseLong(h.value().trim()));
          length = true;
        } catch (NumberFormatException e) {
          throw Messages.invalid(
              type, "Invalid content-length '" + h.value() + "': expected a byte count");
        }
        continue;
      }
      resp.addHeader(h.name(), h.value());
    }
    // Containers that stamp a Date themselves (Jetty) already have it on the response.
    if (!date && !resp.containsHeader("Date")) {
      resp.setHeader("Date", HttpDate.now());
    }
    return length;
  }

  /**
   * The server's own 500: {@code text/plain}, {@code Connection: close} on HTTP/1.x, queued into
   * {@code output} followed by the end marker. Call with the exchange's lock held, pump after
   * releasing it.
   */
  static void serverError(HttpServletRequest req, HttpServletResponse resp, OutputPump output) {
    resp.setStatus(500);
    resp.setHeader("Content-Type", "text/plain; charset=utf-8");
    closeConnection(req, resp);
    resp.setHeader("Date", HttpDate.now());
    resp.setContentLength(SERVER_ERROR_BODY.length);
    output.write(SERVER_ERROR_BODY);
    output.end();
  }

  /**
   * Asks for the connection to close after this response: {@code Connection: close} on HTTP/1.x.
   * HTTP/2 has no connection-specific headers (RFC 9113 §8.2.2; some containers reset a stream that
   * carries one), and the response ends only its own stream anyway.
   */
  static void closeConnection(HttpServletRequest req, HttpServletResponse resp) {
    String protocol = req.getProtocol();
    if (protocol == null || protocol.startsWith("HTTP/1")) {
      resp.setHeader("Connection", "close");
    }
  }

  /** The status of an exchange that ended abnormally before the app started a response. */
  static int statusFor(String reason) {
    return switch (reason) {
      case Reasons.BODY_TOO_LARGE -> 413;
      case Reasons.SERVER_SHUTDOWN -> 503;
      case Reasons.CLIENT_TIMEOUT -> 408;
      default -> 400;
    };
  }

  /** The application's own failure, without the wrappers stages add. */
  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException || t instanceof ExecutionException) {
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    return t;
  }
}
