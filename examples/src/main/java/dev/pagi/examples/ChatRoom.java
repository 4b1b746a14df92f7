package dev.pagi.examples;

import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import dev.pagi.WebSocket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat room: every text message goes to every member. A member whose connection falls behind is
 * shed by policy instead of stalling the room: a broadcast never waits for any member's send, and a
 * member whose unsent backlog ({@code pagi.transport} buffered amount) passes {@link #maxBacklog}
 * is closed with 1008 {@code too slow}; the others hear that it left.
 *
 * <p>Connect to {@code ws://host:port/?name=ann}. Run it with {@code ExampleServer chat 8080}.
 */
public final class ChatRoom implements PagiApp {
  private final long maxBacklog;
  private final Set<Member> members = ConcurrentHashMap.newKeySet();
  private final AtomicInteger guests = new AtomicInteger();

  /** One connected member. */
  private record Member(String name, WebSocket ws) {}

  /**
   * @param maxBacklog the unsent bytes a member may have before it is shed
   */
  public ChatRoom(long maxBacklog) {
    this.maxBacklog = maxBacklog;
  }

  /** A room that sheds members more than 256 KiB behind. */
  public ChatRoom() {
    this(256 * 1024);
  }

  /**
   * @return the backlog limit in bytes
   */
  public long maxBacklog() {
    return maxBacklog;
  }

  /**
   * @return how many members are in the room
   */
  public int size() {
    return members.size();
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (!Scope.TYPE_WEBSOCKET.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("the chat room serves WebSocket only");
    }
    WebSocket ws = WebSocket.of(scope, receive, send);
    String name = name(scope);
    Member me = new Member(name, ws);
    ws.onClose(
        (code, reason) -> {
          if (members.remove(me)) {
            broadcast("* " + name + " left" + (reason.isEmpty() ? "" : " (" + reason + ")"));
          }
        });
    return ws.accept()
        .thenCompose(
            v -> {
              members.add(me);
              broadcast("* " + name + " joined");
              return ws.eachText(
                  text -> {
                    broadcast(name + ": " + text);
                    return CompletableFuture.completedFuture(null);
                  });
            });
  }

  /** Sends to every member without waiting for anyone; sheds those too far behind. */
  private void broadcast(String message) {
    for (Member m : members) {
      if (m.ws().bufferedAmount() > maxBacklog) {
        shed(m);
      } else {
        // Not awaited: a slow member's send may wait for its drain, the room does not.
        m.ws().sendText(message);
      }
    }
  }

  private void shed(Member m) {
    if (members.remove(m)) {
      m.ws().close(1008, "too slow");
      broadcast("* " + m.name() + " left (too slow)");
    }
  }

  private String name(Map<String, Object> scope) {
    for (String pair : Scope.queryString(scope).split("&")) {
      if (pair.startsWith("name=") && pair.length() > 5) {
        return pair.substring(5);
      }
    }
    return "guest" + guests.incrementAndGet();
  }
}
