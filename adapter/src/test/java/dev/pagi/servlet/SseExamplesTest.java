package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.examples.JobRunner;
import dev.pagi.examples.SseBroadcaster;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SSE examples, run on Jetty. */
@Timeout(120)
class SseExamplesTest {
  private static final byte[] REQUEST =
      "GET /news HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1);

  /** A client reading everything, counting complete events (each ends with a blank line). */
  private static final class Reader implements Runnable, AutoCloseable {
    final Socket socket = new Socket();
    final AtomicInteger events = new AtomicInteger();

    Reader(JettyHarness jetty) throws Exception {
      socket.connect(new InetSocketAddress(jetty.uri.getHost(), jetty.uri.getPort()));
      socket.getOutputStream().write(REQUEST);
      Thread t = new Thread(this, "sse-example-reader");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void run() {
      byte[] buf = new byte[65536];
      byte last = 0;
      try {
        InputStream in = socket.getInputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n' && last == '\n') {
              synchronized (this) {
                events.incrementAndGet();
                notifyAll();
              }
            }
            last = buf[i];
          }
        }
      } catch (Exception e) {
        // closed by the test
      }
    }

    synchronized void awaitEvents(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (events.get() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("only " + events.get() + " of " + n + " events");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  @Test
  void aStalledClientDoesNotSlowThePublisherOrTheOtherClients() throws Exception {
    SseBroadcaster news = new SseBroadcaster();
    String message = "x".repeat(32 * 1024);
    int count = 300;
    try (JettyHarness jetty = new JettyHarness(news);
        Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress(jetty.uri.getHost(), jetty.uri.getPort()));
      stalled.getOutputStream().write(REQUEST);
      List<Reader> readers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        readers.add(new Reader(jetty));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (news.clients() < 6 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(6, news.clients());
      // Lockstep with the readers: the stalled client never reads, yet every message reaches the
      // others at once; a publisher waiting on each client would stall here.
      for (int i = 1; i <= count; i++) {
        news.publish(message);
        for (Reader r : readers) {
          r.awaitEvents(i);
        }
      }
      for (Reader r : readers) {
        assertEquals(count, r.events.get());
        r.close();
      }
      assertTrue(
          news.skipped() > 0, "the stalled client skipped messages once its backlog was full");
    }
  }

  @Test
  void theJobRunnerStreamsProgressClosesAndCleansUpAfterwards() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    CompletableFuture<String> cleaned = new CompletableFuture<>();
    JobRunner jobs =
        new JobRunner(
            10,
            name -> {
              try {
                // Slow cleanup: the client must already have its complete stream.
                assertTrue(clientDone.await(10, TimeUnit.SECONDS));
                cleaned.complete(name);
              } catch (Throwable t) {
                cleaned.completeExceptionally(t);
              }
            });
    try (JettyHarness jetty = new JettyHarness(jobs);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/jobs/3").readToEof();
      clientDone.countDown();
      assertEquals(
          "event: progress\ndata: {\"step\":1,\"of\":3}\n\n"
              + "event: progress\ndata: {\"step\":2,\"of\":3}\n\n"
              + "event: progress\ndata: {\"step\":3,\"of\":3}\n\n"
              + "event: done\ndata: {\"steps\":3}\n\n",
          raw.body());
      assertTrue(raw.terminated());
      assertTrue(!raw.text().contains("job_complete"), "the close reason stays on the server");
      assertEquals("/jobs/3", cleaned.get(10, TimeUnit.SECONDS));
    }
  }

  /** The README's example, verbatim apart from the log line. */
  @Test
  void theReadmeTickerTicksAndAnswersUnknownPathsWith404() throws Exception {
    CompletableFuture<String> left = new CompletableFuture<>();
    dev.pagi.PagiApp ticker =
        (scope, receive, send) -> {
          dev.pagi.Sse sse = new dev.pagi.Sse(scope, receive, send);
          if (!sse.path().equals("/ticks")) {
            return sse.notFound();
          }
          sse.onClose((s, reason) -> left.complete(reason));
          return sse.keepalive(java.time.Duration.ofSeconds(20))
              .thenCompose(
                  v ->
                      sse.every(
                          java.time.Duration.ofMillis(50),
                          () ->
                              sse.sendEvent(
                                  java.util.Map.of(
                                      "event",
                                      "tick",
                                      "data",
                                      java.time.Instant.now().toString()))));
        };
    try (JettyHarness jetty = new JettyHarness(ticker)) {
      try (RawSse raw = new RawSse(jetty.uri)) {
        String body = raw.request("GET", "/ticks").awaitBody("event: tick\ndata: ");
        assertTrue(body.startsWith("event: tick\ndata: "), body);
        raw.awaitBody(body + "event: tick\n");
      }
      assertEquals("client_closed", left.get(5, TimeUnit.SECONDS));
      try (RawSse raw = new RawSse(jetty.uri)) {
        assertTrue(raw.request("GET", "/other").readToEof().startsWith("HTTP/1.1 404 "));
      }
      jetty.awaitActive(0);
    }
  }

  @Test
  void theJobRunnerDeclinesAnUnknownJobWith404() throws Exception {
    try (JettyHarness jetty = new JettyHarness(new JobRunner(1, name -> {}));
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/jobs/nope").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 404 "), all);
    }
  }
}
