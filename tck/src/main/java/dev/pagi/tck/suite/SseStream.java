package dev.pagi.tck.suite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * One SSE request to the target, over a raw socket (HTTP/1.1, so the suite sees the exact bytes:
 * chunk framing, the terminal chunk, EOF) or over Jetty's HTTP/2 client (h2c). Both give the
 * status, the headers, the decoded body as it arrives, and how the stream ended. Every wait is
 * bounded.
 */
public abstract class SseStream implements AutoCloseable {
  /** How a response ended. */
  public enum End {
    /** HTTP/1.1 terminal chunk (or the end of a framed body) / HTTP/2 END_STREAM. */
    CLEAN,
    /** EOF without the terminal chunk / a stream reset or other failure. */
    TRUNCATED
  }

  /**
   * Opens a request with {@code Accept: text/event-stream}.
   *
   * @param target the target
   * @param client a client for the target's protocol (used for h2c)
   * @param method the method
   * @param path the path below the base, with its query
   * @param body a request body or {@code null}
   * @return the stream, request sent
   * @throws IOException when the request cannot be sent
   */
  public static SseStream open(
      TckTarget target, TckClient client, String method, String path, String body)
      throws IOException {
    return open(target, client, method, path, body, "text/event-stream");
  }

  /**
   * Opens a request with the given {@code Accept} header.
   *
   * @param target the target
   * @param client a client for the target's protocol (used for h2c)
   * @param method the method
   * @param path the path below the base, with its query
   * @param body a request body or {@code null}
   * @param accept the {@code Accept} value
   * @return the stream, request sent
   * @throws IOException when the request cannot be sent
   */
  public static SseStream open(
      TckTarget target, TckClient client, String method, String path, String body, String accept)
      throws IOException {
    return target.protocol() == TckTarget.Protocol.H1
        ? new H1(target, method, path, body, accept)
        : new H2(client, method, path, body, accept);
  }

  /**
   * @return the response status, waiting (bounded) for the head
   * @throws Exception on timeout or failure
   */
  public abstract int status() throws Exception;

  /**
   * @param name a header name, any case
   * @return the number of times the header appears in the response
   * @throws Exception on timeout or failure
   */
  public abstract int headerCount(String name) throws Exception;

  /**
   * @param name a header name, any case
   * @return its first value, or {@code null}
   * @throws Exception on timeout or failure
   */
  public abstract String header(String name) throws Exception;

  /**
   * @return the body received so far, decoded (de-chunked) and read as UTF-8
   */
  public abstract String body();

  /**
   * Waits (up to {@code seconds}) until the body contains {@code marker}.
   *
   * @param marker the text
   * @param seconds the longest wait
   * @return the body
   * @throws Exception when the marker did not come in time or the stream ended first
   */
  public abstract String awaitBody(String marker, double seconds) throws Exception;

  /**
   * Waits (up to {@code seconds}) for the end of the response.
   *
   * @param seconds the longest wait
   * @return how it ended
   * @throws TimeoutException when it did not end in time
   * @throws Exception on other failures
   */
  public abstract End awaitEnd(double seconds) throws Exception;

  /**
   * Waits (up to {@code seconds}) for anything more to arrive.
   *
   * @param seconds how long to watch
   * @return whether the body grew or the stream ended in that time
   * @throws Exception on failure
   */
  public abstract boolean anythingWithin(double seconds) throws Exception;

  /** Closes the socket (HTTP/1.1) or resets the stream (HTTP/2). */
  @Override
  public abstract void close();

  /** The raw socket variant. */
  static final class H1 extends SseStream {
    private final Socket socket;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private boolean eof;

    H1(TckTarget target, String method, String path, String body, String accept)
        throws IOException {
      int port = target.base().getPort() > 0 ? target.base().getPort() : 80;
      socket = new Socket(target.base().getHost(), port);
      StringBuilder b = new StringBuilder();
      b.append(method).append(' ').append(target.rootPath()).append(path).append(" HTTP/1.1\r\n");
      b.append("Host: ").append(target.base().getHost()).append("\r\n");
      b.append("Accept: ").append(accept).append("\r\n");
      byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
      if (content != null) {
        b.append("Content-Length: ").append(content.length).append("\r\n");
      }
      b.append("\r\n");
      socket.getOutputStream().write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (content != null) {
        socket.getOutputStream().write(content);
      }
      socket.getOutputStream().flush();
    }

    /** Everything received so far, as ISO-8859-1 (the exact bytes). */
    String raw() {
      return raw.toString(StandardCharsets.ISO_8859_1);
    }

    private boolean read(long deadline) throws IOException {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0 || eof) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      byte[] buf = new byte[8192];
      int n;
      try {
        n = socket.getInputStream().read(buf);
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        eof = true;
        return false;
      }
      if (n < 0) {
        eof = true;
        return false;
      }
      raw.write(buf, 0, n);
      return true;
    }

    private static long deadline(double seconds) {
      return System.nanoTime() + (long) (seconds * 1e9);
    }

    String head() throws IOException {
      long deadline = deadline(5);
      while (!raw().contains("\r\n\r\n")) {
        if (!read(deadline)) {
          throw new IOException("no response head in: " + raw());
        }
      }
      return raw().substring(0, raw().indexOf("\r\n\r\n") + 2);
    }

    @Override
    public int status() throws IOException {
      String head = head();
      return Integer.parseInt(head.substring(9, 12));
    }

    @Override
    public int headerCount(String name) throws IOException {
      int n = 0;
      for (String line : head().split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
          n++;
        }
      }
      return n;
    }

    @Override
    public String header(String name) throws IOException {
      for (String line : head().split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
      return null;
    }

    private boolean chunked() {
      String text = raw();
      int end = text.indexOf("\r\n\r\n");
      return end >= 0
          && text.substring(0, end).toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
    }

    @Override
    public String body() {
      return new String(decoded().data.toByteArray(), StandardCharsets.UTF_8);
    }

    /** Bytes after the terminal chunk; a clean stream has none. */
    String afterTerminal() {
      Decoded d = decoded();
      return d.terminated ? raw().substring(d.end) : "";
    }

    private record Decoded(ByteArrayOutputStream data, boolean terminated, int end) {}

    private Decoded decoded() {
      byte[] all = raw.toByteArray();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int pos = text.indexOf("\r\n\r\n");
      if (pos < 0) {
        return new Decoded(out, false, 0);
      }
      pos += 4;
      if (!chunked()) {
        out.write(all, pos, all.length - pos);
        return new Decoded(out, false, all.length);
      }
      while (true) {
        int eol = text.indexOf("\r\n", pos);
        if (eol < 0) {
          return new Decoded(out, false, pos);
        }
        int size;
        try {
          size = Integer.parseInt(text.substring(pos, eol).trim(), 16);
        } catch (NumberFormatException e) {
          throw new AssertionError("bad chunk size line at " + pos + " in: " + text, e);
        }
        int start = eol + 2;
        if (size == 0) {
          boolean complete = text.startsWith("\r\n", start);
          return new Decoded(out, complete, complete ? start + 2 : pos);
        }
        if (all.length < start + size) {
          return new Decoded(out, false, pos);
        }
        out.write(all, start, size);
        if (all.length < start + size + 2) {
          return new Decoded(out, false, all.length);
        }
        if (!text.startsWith("\r\n", start + size)) {
          throw new AssertionError("chunk data not followed by CRLF in: " + text);
        }
        pos = start + size + 2;
      }
    }

    /** Whether a body framed by Content-Length arrived in full. */
    private boolean lengthComplete() throws IOException {
      String length = chunked() ? null : header("content-length");
      return length != null && decoded().data.size() >= Long.parseLong(length.trim());
    }

    /** Whether the terminal chunk arrived. */
    boolean terminated() {
      return decoded().terminated;
    }

    @Override
    public String awaitBody(String marker, double seconds) throws Exception {
      head();
      long deadline = deadline(seconds);
      while (!body().contains(marker)) {
        if (!read(deadline)) {
          throw new TimeoutException("no '" + marker + "' in body: " + body());
        }
      }
      return body();
    }

    /** Reads until EOF (bounded). */
    boolean awaitEof(double seconds) throws IOException {
      long deadline = deadline(seconds);
      while (!eof) {
        if (!read(deadline) && !eof) {
          return false;
        }
      }
      return true;
    }

    @Override
    public End awaitEnd(double seconds) throws Exception {
      int status = status();
      boolean bodyless = status == 204 || status == 304;
      long deadline = deadline(seconds);
      while (!bodyless && !eof && !(chunked() && terminated()) && !lengthComplete()) {
        if (!read(deadline) && !eof) {
          throw new TimeoutException("the stream did not end: " + raw());
        }
      }
      if (chunked()) {
        return terminated() ? End.CLEAN : End.TRUNCATED;
      }
      String length = header("content-length");
      boolean complete = length == null || decoded().data.size() >= Long.parseLong(length.trim());
      return complete ? End.CLEAN : End.TRUNCATED;
    }

    @Override
    public boolean anythingWithin(double seconds) throws IOException {
      int before = raw.size();
      long deadline = deadline(seconds);
      while (raw.size() == before && !eof) {
        if (!read(deadline)) {
          break;
        }
      }
      return raw.size() != before || eof;
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a client socket cannot lose anything the test needs
      }
    }
  }

  /** The HTTP/2 variant, on the suite's Jetty client. */
  static final class H2 extends SseStream {
    private final Request request;
    private final CompletableFuture<Response> head = new CompletableFuture<>();
    private final CompletableFuture<End> end = new CompletableFuture<>();
    private final StringBuilder body = new StringBuilder();

    H2(TckClient client, String method, String path, String content, String accept) {
      request =
          client
              .request(path)
              .method(method)
              .timeout(30, TimeUnit.SECONDS)
              .headers(h -> h.put(HttpHeader.ACCEPT, accept));
      if (content != null) {
        request.body(new StringRequestContent(content));
      }
      request
          .onResponseHeaders(head::complete)
          .onResponseContent(this::content)
          .send(
              result -> {
                head.complete(result.getResponse());
                end.complete(result.isSucceeded() ? End.CLEAN : End.TRUNCATED);
                synchronized (this) {
                  notifyAll();
                }
              });
    }

    private void content(Response response, ByteBuffer buffer) {
      synchronized (this) {
        body.append(StandardCharsets.UTF_8.decode(buffer));
        notifyAll();
      }
    }

    private HttpFields headers() throws Exception {
      return head.get(5, TimeUnit.SECONDS).getHeaders();
    }

    @Override
    public int status() throws Exception {
      return head.get(5, TimeUnit.SECONDS).getStatus();
    }

    @Override
    public int headerCount(String name) throws Exception {
      return headers().getValuesList(name).size();
    }

    @Override
    public String header(String name) throws Exception {
      return headers().get(name);
    }

    @Override
    public synchronized String body() {
      return body.toString();
    }

    @Override
    public synchronized String awaitBody(String marker, double seconds) throws Exception {
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      while (!body.toString().contains(marker)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || end.isDone()) {
          throw new TimeoutException("no '" + marker + "' in body: " + body);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return body.toString();
    }

    @Override
    public End awaitEnd(double seconds) throws Exception {
      try {
        return end.get((long) (seconds * 1000), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        return End.TRUNCATED;
      }
    }

    @Override
    public synchronized boolean anythingWithin(double seconds) throws InterruptedException {
      int before = body.length();
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      long left;
      while (body.length() == before
          && !end.isDone()
          && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return body.length() != before || end.isDone();
    }

    @Override
    public void close() {
      request.abort(new Exception("the TCK client closes the stream"));
    }
  }
}
