package dev.pagi.servlet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;

/**
 * One h2c connection (prior knowledge) carrying SSE streams, with Jetty's low-level HTTP/2 client
 * so a test can reset one stream or drop the whole connection.
 */
final class H2Sse implements AutoCloseable {
  private final HTTP2Client client = new HTTP2Client();
  private final Session session;
  private final URI base;

  H2Sse(URI base) throws Exception {
    this.base = base;
    client.start();
    session =
        client
            .connect(
                new InetSocketAddress(base.getHost(), base.getPort()), new Session.Listener() {})
            .get(5, TimeUnit.SECONDS);
  }

  /** One SSE stream: its status, the body so far, and how it ended. */
  static final class Sse implements Stream.Listener {
    final CompletableFuture<Integer> status = new CompletableFuture<>();

    /** Completes on END_STREAM (a clean end). */
    final CompletableFuture<String> ended = new CompletableFuture<>();

    /** Completes when the server resets the stream. */
    final CompletableFuture<Integer> reset = new CompletableFuture<>();

    private final StringBuilder body = new StringBuilder();
    private volatile Stream stream;

    @Override
    public void onHeaders(Stream stream, HeadersFrame frame) {
      if (frame.getMetaData() instanceof MetaData.Response r) {
        status.complete(r.getStatus());
      }
      if (frame.isEndStream()) {
        ended.complete(body());
      } else {
        stream.demand();
      }
    }

    @Override
    public void onDataAvailable(Stream stream) {
      Stream.Data data = stream.readData();
      if (data == null) {
        stream.demand();
        return;
      }
      synchronized (this) {
        body.append(StandardCharsets.UTF_8.decode(data.frame().getByteBuffer()));
        notifyAll();
      }
      boolean last = data.frame().isEndStream();
      data.release();
      if (last) {
        ended.complete(body());
      } else {
        stream.demand();
      }
    }

    @Override
    public void onReset(Stream stream, ResetFrame frame, Callback callback) {
      reset.complete(frame.getError());
      callback.succeeded();
    }

    synchronized String body() {
      return body.toString();
    }

    /** Waits (bounded) until the body contains {@code marker}. */
    synchronized String awaitBody(String marker) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!body.toString().contains(marker)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no '" + marker + "' in: " + body);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return body.toString();
    }

    /** Resets the stream from the client side (CANCEL). */
    void cancel() {
      stream.reset(
          new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
    }
  }

  /** Opens a GET with {@code Accept: text/event-stream}. */
  Sse open(String path) throws Exception {
    Sse sse = new Sse();
    MetaData.Request request =
        new MetaData.Request(
            "GET",
            HttpURI.from(base.resolve(path)),
            HttpVersion.HTTP_2,
            HttpFields.build().put("accept", "text/event-stream"));
    sse.stream =
        session.newStream(new HeadersFrame(request, null, true), sse).get(5, TimeUnit.SECONDS);
    return sse;
  }

  /** Closes the TCP connection without a GOAWAY, as a crashed client or a lost network would. */
  void drop() throws IOException {
    ((HTTP2Session) session).getEndPoint().close();
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
