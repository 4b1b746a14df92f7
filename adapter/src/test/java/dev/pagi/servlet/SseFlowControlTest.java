package dev.pagi.servlet;

import static dev.pagi.servlet.SseApps.blocking;
import static dev.pagi.servlet.SseApps.data;
import static dev.pagi.servlet.SseApps.send;
import static dev.pagi.servlet.SseApps.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Scope;
import dev.pagi.Transport;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code pagi.transport} on an SSE stream whose client stops reading. */
@Timeout(60)
class SseFlowControlTest {
  private static final int HIGH = 16 * 1024;
  private static final int LOW = 4 * 1024;
  private static final String EVENT = "x".repeat(1000);

  @Test
  void aStalledClientPushesBackOnSseSendAndTheDrainReleasesIt() throws Exception {
    List<String> marks = new CopyOnWriteArrayList<>();
    CountDownLatch high = new CountDownLatch(1);
    CompletableFuture<Transport> transport = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              Transport t = Scope.transport(scope);
              t.onHighWater(
                  () -> {
                    marks.add("high");
                    high.countDown();
                  });
              t.onDrain(() -> marks.add("drain"));
              transport.complete(t);
              send(send, start());
              // Bounded: far more than socket buffers hold, far less than a runaway.
              for (int i = 0; i < 20_000 && marks.size() < 3; i++) {
                send(send, data(EVENT));
                long buffered = t.bufferedAmount();
                if (buffered > HIGH + 2 * EVENT.length()) {
                  marks.add("overflow " + buffered);
                }
              }
              send(send, data("done"));
            });
    PagiConfig config =
        PagiConfig.builder()
            .lifespanMode(PagiConfig.LifespanMode.OFF)
            .highWaterMark(HIGH)
            .lowWaterMark(LOW)
            .build();
    try (JettyHarness jetty = new JettyHarness(app, config, "/*");
        Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress(jetty.uri.getHost(), jetty.uri.getPort()));
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
      assertTrue(high.await(30, TimeUnit.SECONDS), "the buffer reached the high-water mark");
      long buffered = transport.get().bufferedAmount();
      assertTrue(buffered > 0 && buffered <= HIGH + 2 * EVENT.length(), "buffered " + buffered);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[65536];
      StringBuilder tail = new StringBuilder();
      int n;
      while ((n = in.read(buf)) >= 0) {
        tail.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        if (tail.length() > 64) {
          tail.delete(0, tail.length() - 64);
        }
        if (tail.indexOf("data: done\n\n") >= 0) {
          break;
        }
      }
      assertTrue(tail.indexOf("data: done\n\n") >= 0, "the stream went on after the drain");
      assertEquals("high", marks.get(0));
      assertEquals("drain", marks.get(1));
      assertTrue(marks.stream().noneMatch(m -> m.startsWith("overflow")), marks.toString());
    }
  }
}
