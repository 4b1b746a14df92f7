package dev.pagi.examples;

import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import dev.pagi.Sse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Example: one publisher, many SSE clients. {@link #publish} hands each message to every client
 * without waiting for any of them, so a slow client never slows the publisher or the other clients.
 * A client whose unsent backlog has reached its high-water mark skips messages until it drains
 * (conflation, as the PAGI spec's flow-control example does), so a stalled client costs at most its
 * high-water mark in memory.
 *
 * <pre>{@code
 * SseBroadcaster news = new SseBroadcaster();
 * ctx.addServlet(new ServletHolder(new PagiServlet(news)), "/news/*");
 * news.publish("{\"headline\":\"...\"}");   // from any thread
 * }</pre>
 */
public final class SseBroadcaster implements PagiApp {
  private final Set<Sse> clients = ConcurrentHashMap.newKeySet();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (!Scope.TYPE_SSE.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("SseBroadcaster serves only sse scopes");
    }
    Sse sse = new Sse(scope, receive, send);
    sse.onClose((s, reason) -> clients.remove(s));
    return sse.keepalive(Duration.ofSeconds(25))
        .thenCompose(v -> sse.start())
        .thenRun(() -> clients.add(sse))
        .thenCompose(v -> sse.run());
  }

  /**
   * Sends {@code data} to every connected client; never blocks and never fails.
   *
   * @param data the event data
   */
  public void publish(String data) {
    String id = Long.toString(ids.incrementAndGet());
    Map<String, Object> event = Map.of("data", data, "id", id);
    for (Sse client : clients) {
      Long high = client.transport() == null ? null : client.transport().highWaterMark();
      if (high != null && client.bufferedAmount() >= high) {
        skipped.incrementAndGet();
        continue;
      }
      client.trySendEvent(event);
    }
  }

  /**
   * @return connected clients
   */
  public int clients() {
    return clients.size();
  }

  /**
   * @return messages not sent to a client because its backlog was full
   */
  public long skipped() {
    return skipped.get();
  }
}
