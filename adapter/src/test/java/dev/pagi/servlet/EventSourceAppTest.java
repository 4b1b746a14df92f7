package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.EventSourceApp;
import dev.pagi.Header;
import dev.pagi.Sse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EventSourceApp} and the {@link Sse} helper end to end on Jetty. */
@Timeout(30)
class EventSourceAppTest {

  @Test
  void pushesStringsLinesAndEventsWithExtraHeadersThenCloses() throws Exception {
    EventSourceApp app =
        new EventSourceApp(
            (client, scope) -> {
              client.push("foo");
              client.push("multi", "line", "message");
              Map<String, Object> event = new LinkedHashMap<>();
              event.put("id", 1);
              event.put("data", "message with id");
              client.push(event);
              client.close();
            },
            List.of(
                Header.of("access-control-allow-origin", "http://original-domain"),
                Header.of("access-control-allow-credentials", "true")));
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/events").readToEof();
      String head = raw.head().toLowerCase();
      assertTrue(
          head.contains("\r\naccess-control-allow-origin: http://original-domain\r\n"), head);
      assertTrue(head.contains("\r\naccess-control-allow-credentials: true\r\n"), head);
      assertTrue(head.contains("\r\ncontent-type: text/event-stream\r\n"), head);
      assertEquals(
          "data: foo\n\n"
              + "data: multi\ndata: line\ndata: message\n\n"
              + "data: message with id\nid: 1\n\n",
          raw.body());
      assertTrue(raw.terminated());
      jetty.awaitActive(0);
    }
  }

  @Test
  void aPlainHttpRequestIsNotAcceptable() throws Exception {
    EventSourceApp app = new EventSourceApp((client, scope) -> client.close());
    try (JettyHarness jetty = new JettyHarness(app);
        RawClient raw = new RawClient(jetty.uri)) {
      String all =
          raw.send("GET /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 406 "), all);
      assertTrue(all.contains("send 'Accept: text/event-stream'"), all);
    }
  }

  @Test
  void theHandlerMayPushLaterAndLearnsWhenTheClientLeaves() throws Exception {
    CompletableFuture<EventSourceApp.Client> kept = new CompletableFuture<>();
    CompletableFuture<String> closedWith = new CompletableFuture<>();
    EventSourceApp app =
        new EventSourceApp(
            (client, scope) -> {
              client.sse().onClose((sse, reason) -> closedWith.complete(reason));
              kept.complete(client);
            });
    try (JettyHarness jetty = new JettyHarness(app)) {
      RawSse raw = new RawSse(jetty.uri);
      raw.request("GET", "/events").head();
      EventSourceApp.Client client = kept.get(5, TimeUnit.SECONDS);
      CompletableFuture.runAsync(() -> client.push("later")).get(5, TimeUnit.SECONDS);
      assertEquals("data: later\n\n", raw.awaitBody("later\n\n"));
      raw.close();
      assertEquals("client_closed", closedWith.get(5, TimeUnit.SECONDS));
      assertTrue(client.isClosed());
      jetty.awaitActive(0);
    }
  }
}
