package dev.pagi;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Yields the next event from the client ({@code http.request}, {@code sse.disconnect}, {@code
 * websocket.receive}, ...).
 *
 * <p>Only one {@code receive()} may be outstanding at a time; a second call while the first is
 * pending fails with {@link ProtocolException}. The server reads from the network only as the
 * application asks, so an application that does not call {@code receive()} pushes back on the
 * client instead of making the server buffer. Once the connection has ended, every call yields the
 * scope's disconnect event again.
 */
@FunctionalInterface
public interface Receive {

  /**
   * Asks for the next event.
   *
   * @return a stage completing with the event map (never {@code null})
   */
  CompletionStage<Map<String, Object>> receive();
}
