package dev.pagi.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket (HTTP/1.1), for the handshake bytes and for frames a
 * conforming client would never send: invalid UTF-8, reserved bits and opcodes, bad close codes,
 * unanswered pings, oversized frames. Frames it sends are masked; reads have a 5 s timeout.
 */
public class RawWebSocket implements AutoCloseable {
  /** Opcode of a continuation frame. */
  public static final int CONTINUATION = 0;

  /** Opcode of a text frame. */
  public static final int TEXT = 1;

  /** Opcode of a binary frame. */
  public static final int BINARY = 2;

  /** Opcode of a Close frame. */
  public static final int CLOSE = 8;

  /** Opcode of a Ping frame. */
  public static final int PING = 9;

  /** Opcode of a Pong frame. */
  public static final int PONG = 10;

  /** The RFC 6455 sample key, whose accept value is {@link #SAMPLE_ACCEPT}. */
  public static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  /** {@code base64(SHA1(SAMPLE_KEY + GUID))}. */
  public static final String SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  /**
   * One received frame.
   *
   * @param fin the FIN bit
   * @param opcode the opcode
   * @param payload the (unmasked) payload
   */
  public record Frame(boolean fin, int opcode, byte[] payload) {
    /**
     * @return the payload as UTF-8
     */
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * @return the code of a Close frame, 1005 when it carries none
     */
    public int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    /**
     * @return the reason of a Close frame
     */
    public String closeReason() {
      return payload.length <= 2
          ? ""
          : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final String host;
  private final InputStream in;
  private final OutputStream out;

  /**
   * Connects to {@code host:port}.
   *
   * @param host the host to connect to; also sent as the {@code Host} header
   * @param port the port
   * @throws IOException when the connection fails
   */
  public RawWebSocket(String host, int port) throws IOException {
    this.host = host;
    socket = new Socket(host, port);
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /**
   * Connects to the host and port of {@code base} (port 80 when it names none).
   *
   * @param base an {@code http://} or {@code ws://} URI
   * @throws IOException when the connection fails
   */
  public RawWebSocket(URI base) throws IOException {
    this(base.getHost(), base.getPort() > 0 ? base.getPort() : 80);
  }

  /**
   * Sends a handshake request with {@link #SAMPLE_KEY}.
   *
   * @param target the request target: absolute path with any query
   * @param extraHeaders more header lines, e.g. {@code Sec-WebSocket-Protocol: chat}
   * @return this
   * @throws IOException when the write fails
   */
  public RawWebSocket handshake(String target, String... extraHeaders) throws IOException {
    StringBuilder b =
        new StringBuilder("GET ")
            .append(target)
            .append(" HTTP/1.1\r\nHost: ")
            .append(host)
            .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ")
            .append(SAMPLE_KEY)
            .append("\r\nSec-WebSocket-Version: 13\r\n");
    for (String h : extraHeaders) {
      b.append(h).append("\r\n");
    }
    b.append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /**
   * Reads the response head up to and including the blank line.
   *
   * @return the head as ISO-8859-1
   * @throws IOException on EOF, timeout or failure
   */
  public String readHead() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException(
            "EOF in response head: " + buf.toString(StandardCharsets.ISO_8859_1));
      }
      buf.write(c);
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * @return everything until the server closes the connection, as ISO-8859-1
   * @throws IOException on timeout or failure
   */
  public String readRest() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends one masked frame.
   *
   * @param fin the FIN bit
   * @param rsv the three RSV bits as a number 0-7
   * @param opcode the opcode
   * @param payload the payload
   * @throws IOException when the write fails
   */
  public void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
    int len = payload.length;
    if (len < 126) {
      f.write(0x80 | len);
    } else if (len < 65536) {
      f.write(0x80 | 126);
      f.write(len >> 8);
      f.write(len);
    } else {
      f.write(0x80 | 127);
      f.write(ByteBuffer.allocate(8).putLong(len).array());
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.write(mask);
    byte[] masked = new byte[len];
    for (int i = 0; i < len; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    f.write(masked);
    out.write(f.toByteArray());
    out.flush();
  }

  /**
   * @param text a whole text message
   * @throws IOException when the write fails
   */
  public void text(String text) throws IOException {
    send(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param code the close code
   * @param reason the reason
   * @throws IOException when the write fails
   */
  public void close(int code, String reason) throws IOException {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[2 + r.length];
    p[0] = (byte) (code >> 8);
    p[1] = (byte) code;
    System.arraycopy(r, 0, p, 2, r.length);
    send(true, 0, CLOSE, p);
  }

  /**
   * Reads one frame.
   *
   * @return the frame
   * @throws IOException on timeout, EOF, a masked server frame, or failure
   */
  public Frame read() throws IOException {
    DataInputStream d = new DataInputStream(in);
    int b0 = d.readUnsignedByte();
    int b1 = d.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = d.readUnsignedShort();
    } else if (len == 127) {
      len = d.readLong();
    }
    if ((b1 & 0x80) != 0) {
      throw new IOException("the server masked a frame");
    }
    byte[] p = new byte[(int) len];
    d.readFully(p);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0f, p);
  }

  /**
   * Reads frames until one with {@code opcode}; others are skipped.
   *
   * @param opcode the opcode to wait for
   * @return that frame
   * @throws IOException on timeout, EOF or failure
   */
  public Frame readUntil(int opcode) throws IOException {
    Frame f;
    do {
      f = read();
    } while (f.opcode() != opcode);
    return f;
  }

  /**
   * @return whether the server closes the connection within the read timeout (bytes before the end
   *     are discarded)
   * @throws IOException on failures other than a reset or timeout
   */
  public boolean eof() throws IOException {
    byte[] buf = new byte[8192];
    try {
      while (in.read(buf) >= 0) {
        // Discard until the end.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  /**
   * @param millis the read timeout for later reads
   * @throws IOException on failure
   */
  public void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /**
   * @return the underlying socket, for reads that bypass the frame parser
   */
  public Socket socket() {
    return socket;
  }

  /**
   * The {@code Sec-WebSocket-Accept} value RFC 6455 derives from a key.
   *
   * @param key the {@code Sec-WebSocket-Key}
   * @return {@code base64(SHA-1(key + GUID))}
   */
  public static String expectedAccept(String key) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-1")
              .digest(
                  (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                      .getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes the TCP connection without a Close frame. */
  @Override
  public void close() throws IOException {
    socket.close();
  }
}
