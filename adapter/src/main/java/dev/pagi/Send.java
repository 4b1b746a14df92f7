package dev.pagi;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Sends one event to the client ({@code http.response.start}, {@code sse.send}, {@code
 * websocket.send}, ...).
 *
 * <p>The event is validated before anything is written: an unknown type, a missing or mistyped
 * field, a header with CR, LF or NUL, or an event out of order fails the returned stage with {@link
 * ProtocolException}, and nothing of that event reaches the wire. Extra fields are ignored.
 *
 * <p>The stage completes when the bytes are queued under the transport's high-water mark (see
 * {@link Transport}); when the buffer is above it, the stage waits until the buffer drains below
 * the low-water mark. After the client has gone, a send is a silent no-op that completes normally.
 * Sends are applied in the order they are called; an application should still await each one.
 */
@FunctionalInterface
public interface Send {

  /**
   * Sends an event.
   *
   * @param event the event map; the server does not keep or mutate it
   * @return a stage completing when the event has been accepted
   */
  CompletionStage<Void> send(Map<String, Object> event);
}
