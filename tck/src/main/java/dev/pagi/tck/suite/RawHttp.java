package dev.pagi.tck.suite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A plain socket to the target, for rules where HTTP/1.x framing matters: writes exact request
 * bytes, reads with bounded waits and parses responses without hiding their framing.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final TckTarget target;
  private byte[] buf = new byte[65536];
  private int len;
  private int pos;

  /**
   * Connects with a 5 s read timeout.
   *
   * @param target the target (its host and port are used)
   * @throws IOException when the connection fails
   */
  public RawHttp(TckTarget target) throws IOException {
    this(target, 0);
  }

  /**
   * Connects with a 5 s read timeout and, when {@code receiveBuffer > 0}, a small socket receive
   * buffer (set before connecting, so the TCP window stays small: a slow reader).
   *
   * @param target the target
   * @param receiveBuffer the receive buffer size, or 0 for the default
   * @throws IOException when the connection fails
   */
  public RawHttp(TckTarget target, int receiveBuffer) throws IOException {
    this.target = target;
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress(target.base().getHost(), port(target)), 5000);
    socket.setSoTimeout(5000);
  }

  private static int port(TckTarget target) {
    return target.base().getPort() > 0 ? target.base().getPort() : 80;
  }

  /**
   * @return the {@code Host} header value for the target
   */
  public String host() {
    return target.base().getHost() + ":" + port(target);
  }

  /**
   * Builds a request with a {@code Host} header and the given extra header lines.
   *
   * @param method the method
   * @param path a path below the target's base (the base's path is prepended)
   * @param headers extra header lines such as {@code "Connection: close"}
   * @return the request head, ending with the blank line
   */
  public String request(String method, String path, String... headers) {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(target.rootPath()).append(path).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(host()).append("\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /**
   * Writes bytes as ISO-8859-1.
   *
   * @param request the request text, with explicit CRLFs
   * @return this
   * @throws IOException when the write fails
   */
  public RawHttp send(String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /**
   * Reads until the server closes the connection.
   *
   * @return everything received so far, as ISO-8859-1
   * @throws SocketTimeoutException when the server keeps the connection open past the timeout
   * @throws IOException on other failures
   */
  public String readToEof() throws IOException {
    while (fill()) {
      // keep reading
    }
    return text();
  }

  /**
   * Reads until {@code marker} has been received.
   *
   * @param marker the text to wait for
   * @return everything received so far, as ISO-8859-1
   * @throws IOException on timeout, EOF before the marker, or failure
   */
  public String readUntil(String marker) throws IOException {
    while (!new String(buf, pos, len - pos, StandardCharsets.ISO_8859_1).contains(marker)) {
      if (!fill()) {
        throw new IOException("EOF before " + marker + " in: " + text());
      }
    }
    return text();
  }

  /**
   * Reads whatever arrives next (at most one socket read).
   *
   * @return the number of bytes read, or -1 at EOF
   * @throws IOException on timeout or failure
   */
  public int readSome() throws IOException {
    int before = len;
    return fill() ? len - before : -1;
  }

  /**
   * @return whether the server has closed the connection: EOF (or a reset) within the read timeout
   * @throws IOException when the connection stays open past the timeout
   */
  public boolean closedByServer() throws IOException {
    try {
      while (fill()) {
        // drain anything still in flight
      }
      return true;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private boolean fill() throws IOException {
    InputStream in = socket.getInputStream();
    if (buf.length - len < 16384) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + 16384));
    }
    int n = in.read(buf, len, 16384);
    if (n < 0) {
      return false;
    }
    len += n;
    return true;
  }

  /**
   * @return how many bytes have been received on this connection so far
   */
  public int receivedBytes() {
    return len;
  }

  /**
   * Reads and parses one response starting at the current position. Chunked bodies are decoded,
   * keeping each chunk's size and the trailer lines; a body cut short by EOF gives {@link
   * Response#complete()} false instead of an error.
   *
   * @param head whether the request was HEAD (no body follows)
   * @return the response
   * @throws IOException on timeout or a malformed response
   */
  public Response readResponse(boolean head) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("EOF before a status line; received: " + text());
    }
    List<String[]> headers = new ArrayList<>();
    for (String l = line(); l != null && !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers.add(new String[] {l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Response r = new Response(statusLine, status, headers);
    if (status < 200) {
      return r.done(true);
    }
    if (head || status == 204 || status == 304) {
      return r.done(true);
    }
    if ("chunked".equalsIgnoreCase(r.header("transfer-encoding"))) {
      while (true) {
        String sizeLine = line();
        if (sizeLine == null) {
          return r.done(false);
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        r.chunks.add(size);
        if (size == 0) {
          for (String t = line(); ; t = line()) {
            if (t == null) {
              return r.done(false);
            }
            if (t.isEmpty()) {
              return r.done(true);
            }
            r.trailers.add(t);
          }
        }
        byte[] data = bytes(size);
        if (data == null || line() == null) {
          if (data != null) {
            r.body.write(data, 0, data.length);
          }
          return r.done(false);
        }
        r.body.write(data, 0, data.length);
      }
    }
    String cl = r.header("content-length");
    if (cl != null) {
      int n = Integer.parseInt(cl);
      byte[] data = bytes(n);
      if (data == null) {
        r.body.write(buf, pos, len - pos);
        pos = len;
        return r.done(false);
      }
      r.body.write(data, 0, data.length);
      return r.done(true);
    }
    // Delimited by the connection's close (HTTP/1.0 style).
    readToEof();
    r.body.write(buf, pos, len - pos);
    pos = len;
    return r.done(true);
  }

  /** A line without its CRLF, or null at EOF. */
  private String line() throws IOException {
    int scan = pos;
    while (true) {
      for (; scan + 1 < len; scan++) {
        if (buf[scan] == '\r' && buf[scan + 1] == '\n') {
          String l = new String(buf, pos, scan - pos, StandardCharsets.ISO_8859_1);
          pos = scan + 2;
          return l;
        }
      }
      if (!fill()) {
        return null;
      }
    }
  }

  /** Exactly {@code n} bytes, or null at EOF. */
  private byte[] bytes(int n) throws IOException {
    while (len - pos < n) {
      if (!fill()) {
        return null;
      }
    }
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  /**
   * @return everything received so far, as ISO-8859-1
   */
  public String text() {
    return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
  }

  /**
   * @param millis the read timeout for later reads
   * @throws IOException on failure
   */
  public void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /**
   * @return the socket, for half-closes and aborts
   */
  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** One parsed HTTP/1.x response. */
  public static final class Response {
    private final String statusLine;
    private final int status;
    private final List<String[]> headers;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final List<Integer> chunks = new ArrayList<>();
    private final List<String> trailers = new ArrayList<>();
    private boolean complete;

    Response(String statusLine, int status, List<String[]> headers) {
      this.statusLine = statusLine;
      this.status = status;
      this.headers = headers;
    }

    Response done(boolean complete) {
      this.complete = complete;
      return this;
    }

    /**
     * @return the status line, e.g. {@code HTTP/1.1 200 OK}
     */
    public String statusLine() {
      return statusLine;
    }

    /**
     * @return the status code
     */
    public int status() {
      return status;
    }

    /**
     * @param name a header name, any case
     * @return the first value, or {@code null}
     */
    public String header(String name) {
      List<String> all = headers(name);
      return all.isEmpty() ? null : all.get(0);
    }

    /**
     * @param name a header name, any case
     * @return every value of that header, in order
     */
    public List<String> headers(String name) {
      List<String> out = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          out.add(h[1]);
        }
      }
      return out;
    }

    /**
     * @return the body, de-chunked
     */
    public byte[] body() {
      return body.toByteArray();
    }

    /**
     * @return the body as ISO-8859-1 text
     */
    public String text() {
      return body.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * @return the body decoded as UTF-8 (JSON from the TCK app)
     */
    public String utf8() {
      return body.toString(StandardCharsets.UTF_8);
    }

    /**
     * @return each chunk's size in order, the terminating 0 included; empty when not chunked
     */
    public List<Integer> chunks() {
      return chunks;
    }

    /**
     * @return the trailer lines after the last chunk
     */
    public List<String> trailers() {
      return trailers;
    }

    /**
     * @return whether the body ended by its framing (terminator, full length) rather than by EOF
     */
    public boolean complete() {
      return complete;
    }
  }
}
