package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagi.examples.SseBroadcaster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One event sent to many streams is encoded once and its bytes shared: every client, over HTTP/1.1
 * and h2c, still receives exactly its own complete stream of events, in order.
 */
@Timeout(60)
class SseBroadcastTest {
  @Test
  void everyClientGetsEveryBroadcastEventExactly() throws Exception {
    SseBroadcaster news = new SseBroadcaster();
    try (JettyHarness jetty = new JettyHarness(news);
        H2Sse h2 = new H2Sse(jetty.uri)) {
      List<RawSse> h1Clients = new ArrayList<>();
      List<H2Sse.Sse> h2Clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        h1Clients.add(new RawSse(jetty.uri).request("GET", "/news"));
        h2Clients.add(h2.open("/news"));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (news.clients() < 6 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(6, news.clients());

      StringBuilder expected = new StringBuilder();
      for (int i = 1; i <= 40; i++) {
        String message = "tick " + i + "\nsecond line é";
        news.publish(message);
        expected.append("data: tick ").append(i).append("\ndata: second line é\nid: ");
        expected.append(i).append("\n\n");
      }
      String last = "id: 40\n\n";
      for (RawSse c : h1Clients) {
        assertEquals(expected.toString(), c.awaitBody(last));
        c.close();
      }
      for (H2Sse.Sse c : h2Clients) {
        assertEquals(expected.toString(), c.awaitBody(last));
      }
    }
  }
}
