package dev.pagi.tck.suite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket to the target, for rules where framing matters: writes exact request bytes and
 * reads with bounded waits.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  /**
   * Connects with a 5 s read timeout.
   *
   * @param target the target (its host and port are used)
   * @throws IOException when the connection fails
   */
  public RawHttp(TckTarget target) throws IOException {
    int port = target.base().getPort() > 0 ? target.base().getPort() : 80;
    socket = new Socket(target.base().getHost(), port);
    socket.setSoTimeout(5000);
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
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      received.write(buf, 0, n);
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
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (!text().contains(marker)) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("EOF before " + marker + " in: " + text());
      }
      received.write(buf, 0, n);
    }
    return text();
  }

  /**
   * @return everything received so far, as ISO-8859-1
   */
  public String text() {
    return received.toString(StandardCharsets.ISO_8859_1);
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
}
