package dev.pagi.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP/1.1 socket for SSE: writes exact request bytes, keeps every byte received, and decodes
 * the chunked body incrementally so tests can wait for an event and then check the exact framing.
 */
final class RawSse implements AutoCloseable {
  final Socket socket;
  private final ByteArrayOutputStream raw = new ByteArrayOutputStream();

  RawSse(URI uri) throws IOException {
    socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(5000);
  }

  /**
   * Sends {@code METHOD path} with {@code Accept: text/event-stream} and the extra header lines.
   */
  RawSse request(String method, String path, String... headers) throws IOException {
    StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\n");
    b.append("Accept: text/event-stream\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return send(b.append("\r\n").toString());
  }

  RawSse send(String bytes) throws IOException {
    socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Everything received so far, as ISO-8859-1. */
  String text() {
    return raw.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads until the response head is complete and returns it. */
  String head() throws IOException {
    while (!text().contains("\r\n\r\n")) {
      readSome();
    }
    return text().substring(0, text().indexOf("\r\n\r\n") + 4);
  }

  /** Reads until the decoded body contains {@code marker}; returns the decoded body (UTF-8). */
  String awaitBody(String marker) throws IOException {
    head();
    while (!body().contains(marker)) {
      readSome();
    }
    return body();
  }

  /** Reads until EOF; fails with SocketTimeoutException when the server keeps it open. */
  String readToEof() throws IOException {
    while (readSome()) {
      // keep reading
    }
    return text();
  }

  /** The body received so far, de-chunked when the response is chunked, as UTF-8. */
  String body() {
    String text = text();
    int end = text.indexOf("\r\n\r\n");
    if (end >= 0 && !text.substring(0, end).toLowerCase().contains("transfer-encoding: chunked")) {
      byte[] all = raw.toByteArray();
      return new String(all, end + 4, all.length - end - 4, StandardCharsets.UTF_8);
    }
    return new String(decode().data, StandardCharsets.UTF_8);
  }

  /** Whether the terminal zero-length chunk has arrived. */
  boolean terminated() {
    return decode().terminated;
  }

  /** Bytes after the terminal chunk (should be none). */
  String afterTerminal() {
    Decoded d = decode();
    return d.terminated ? text().substring(d.end) : "";
  }

  private boolean readSome() throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    int n = in.read(buf);
    if (n < 0) {
      return false;
    }
    raw.write(buf, 0, n);
    return true;
  }

  private record Decoded(byte[] data, boolean terminated, int end) {}

  private Decoded decode() {
    byte[] all = raw.toByteArray();
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int pos = text.indexOf("\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (pos < 0) {
      return new Decoded(new byte[0], false, 0);
    }
    pos += 4;
    while (true) {
      int eol = text.indexOf("\r\n", pos);
      if (eol < 0) {
        return new Decoded(out.toByteArray(), false, pos);
      }
      int size = Integer.parseInt(text.substring(pos, eol).trim(), 16);
      int start = eol + 2;
      if (size == 0) {
        boolean complete = text.startsWith("\r\n", start);
        return new Decoded(out.toByteArray(), complete, complete ? start + 2 : pos);
      }
      if (all.length < start + size) {
        return new Decoded(out.toByteArray(), false, pos);
      }
      out.write(all, start, size);
      // The CRLF closing the data may come with the next chunk (Jetty writes it that way).
      if (all.length < start + size + 2) {
        return new Decoded(out.toByteArray(), false, all.length);
      }
      pos = start + size + 2;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
