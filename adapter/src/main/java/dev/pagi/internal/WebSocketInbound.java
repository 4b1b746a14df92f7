package dev.pagi.internal;

import dev.pagi.Events;
import dev.pagi.ProtocolException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The receive side of one WebSocket connection: {@code websocket.connect} first, then messages from
 * a bounded queue, then the disconnect event — after the messages queued before it, and again on
 * every later call.
 *
 * <p>The Jakarta API has no demand control: messages arrive as the container reads them. The queue
 * holds at most {@code max} of them for an application that does not receive; the caller sheds the
 * connection when {@link #message} reports it full. Guarded by {@code this}; stages are completed
 * after the lock is released.
 */
final class WebSocketInbound {
  private static final Map<String, Object> CONNECT = Map.of("type", Events.WEBSOCKET_CONNECT);

  private final int max;
  private final ArrayDeque<Map<String, Object>> queue = new ArrayDeque<>();
  private boolean connectDelivered;
  private CompletableFuture<Map<String, Object>> pending;
  private Map<String, Object> disconnect;

  WebSocketInbound(int max) {
    this.max = max;
  }

  /** The application's {@code receive()}. */
  synchronized CompletionStage<Map<String, Object>> receive() {
    if (pending != null) {
      return CompletableFuture.failedFuture(
          new ProtocolException("Cannot call receive() while another receive() is pending"));
    }
    if (!connectDelivered) {
      connectDelivered = true;
      return CompletableFuture.completedFuture(CONNECT);
    }
    Map<String, Object> next = queue.poll();
    if (next != null) {
      return CompletableFuture.completedFuture(next);
    }
    if (disconnect != null) {
      return CompletableFuture.completedFuture(disconnect);
    }
    pending = new CompletableFuture<>();
    return pending;
  }

  /**
   * A message from the peer; dropped once the end is decided.
   *
   * @return false when the queue is full and the message was dropped
   */
  boolean message(Map<String, Object> message) {
    CompletableFuture<Map<String, Object>> f;
    synchronized (this) {
      if (disconnect != null) {
        return true;
      }
      if (pending == null) {
        if (queue.size() >= max) {
          return false;
        }
        queue.add(message);
        return true;
      }
      f = pending;
      pending = null;
    }
    f.complete(message);
    return true;
  }

  /** Decides the disconnect event (the first decision wins) and releases a waiting receive. */
  void decide(int code, String reason) {
    decideLater(code, reason).run();
  }

  /**
   * Decides the disconnect event now, for a caller holding its own lock.
   *
   * @return completes a waiting receive; run it after releasing that lock
   */
  Runnable decideLater(int code, String reason) {
    CompletableFuture<Map<String, Object>> f;
    Map<String, Object> event;
    synchronized (this) {
      if (disconnect != null) {
        return () -> {};
      }
      disconnect =
          event = Map.of("type", Events.WEBSOCKET_DISCONNECT, "code", code, "reason", reason);
      if (pending == null || !queue.isEmpty()) {
        return () -> {};
      }
      f = pending;
      pending = null;
    }
    return () -> f.complete(event);
  }
}
