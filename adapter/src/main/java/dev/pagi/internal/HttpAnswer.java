package dev.pagi.internal;

import dev.pagi.Header;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HTTP response of a WebSocket handshake that is not accepted: the application's denial or the
 * server's own 403/500/503/504. Written through an {@link OutputPump} (the request is in async
 * mode), with a {@code Date} when the headers have none and {@code Connection: close} on HTTP/1.1,
 * since the connection is not reused after a refused upgrade.
 */
final class HttpAnswer {
  private final OutputPump pump;

  private HttpAnswer(OutputPump pump) {
    this.pump = pump;
  }

  /**
   * Sets status and headers and installs the write listener.
   *
   * @throws IOException when the container cannot give the output stream
   */
  static HttpAnswer start(
      HttpServletResponse resp,
      boolean http2,
      int status,
      List<Header> headers,
      FlowControl flow,
      OutputPump.Sink sink)
      throws IOException {
    resp.setStatus(status);
    boolean date = false;
    for (Header h : headers) {
      String name = h.name();
      if (name.equalsIgnoreCase("transfer-encoding")
          || http2 && name.equalsIgnoreCase("connection")) {
        continue;
      }
      if (name.equalsIgnoreCase("content-length")) {
        try {
          resp.setContentLengthLong(Long.parseLong(h.value().trim()));
        } catch (NumberFormatException e) {
          // Not a byte count: the container frames the body itself.
        }
        continue;
      }
      date |= name.equalsIgnoreCase("date");
      resp.addHeader(name, h.value());
    }
    if (!date) {
      resp.setHeader("Date", HttpDate.now());
    }
    if (!http2) {
      resp.setHeader("Connection", "close");
    }
    ServletOutputStream out = resp.getOutputStream();
    OutputPump pump = new OutputPump(out, flow, sink);
    out.setWriteListener(pump);
    return new HttpAnswer(pump);
  }

  /**
   * @return false when the pump has stopped and the bytes were dropped
   */
  boolean write(byte[] body) {
    return pump.write(body);
  }

  /** Queues a flush, so a body part with {@code more} reaches the client without the rest. */
  void flush() {
    pump.flush();
  }

  /** Queues the end of the response. */
  void end() {
    pump.end();
  }

  /** Writes what is queued; never call with a lock held. */
  void pump() {
    pump.pump();
  }

  /** Drops what is queued. */
  void stop() {
    pump.stop();
  }

  /**
   * A small blocking text answer, only outside async mode (inside the upgrade dispatch, where no
   * write listener is set).
   */
  static void plain(HttpServletResponse resp, boolean http2, int status, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.US_ASCII);
    resp.setStatus(status);
    resp.setContentType("text/plain; charset=utf-8");
    resp.setContentLength(body.length);
    if (!http2) {
      resp.setHeader("Connection", "close");
    }
    resp.getOutputStream().write(body);
  }
}
