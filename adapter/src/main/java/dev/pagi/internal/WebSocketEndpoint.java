package dev.pagi.internal;

import dev.pagi.Header;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The programmatic Jakarta endpoint of one upgraded connection: forwards the container's callbacks
 * to its {@link WebSocketExchange}. Public only because containers require a public endpoint class;
 * not an API.
 */
public final class WebSocketEndpoint extends Endpoint {
  private final WebSocketExchange exchange;

  WebSocketEndpoint(WebSocketExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    session.setMaxIdleTimeout(0);
    int max = (int) Math.min(Integer.MAX_VALUE, exchange.maxMessageSize());
    session.setMaxTextMessageBufferSize(max);
    session.setMaxBinaryMessageBufferSize(max);
    session.addMessageHandler(String.class, exchange::onText);
    session.addMessageHandler(byte[].class, exchange::onBytes);
    session.addMessageHandler(PongMessage.class, pong -> exchange.onPong());
    exchange.opened(session);
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    exchange.closed(reason.getCloseCode().getCode(), reason.getReasonPhrase());
  }

  @Override
  public void onError(Session session, Throwable error) {
    exchange.errored(error);
  }

  /**
   * Applies the application's {@code websocket.accept}: the chosen subprotocol and extra headers,
   * and hands the container this exchange's endpoint instance.
   */
  static final class Configurator extends ServerEndpointConfig.Configurator {
    private final WebSocketExchange exchange;
    private final String subprotocol;
    private final List<Header> headers;

    Configurator(WebSocketExchange exchange, String subprotocol, List<Header> headers) {
      this.exchange = exchange;
      this.subprotocol = subprotocol;
      this.headers = headers;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
      return endpointClass.cast(new WebSocketEndpoint(exchange));
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
      return subprotocol != null && requested.contains(subprotocol) ? subprotocol : "";
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
      // The application decided (it saw the Origin header in the scope).
      return true;
    }

    @Override
    public void modifyHandshake(
        ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
      if (headers.isEmpty()) {
        return;
      }
      Map<String, List<String>> grouped = new LinkedHashMap<>();
      for (Header h : headers) {
        grouped.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(h.value());
      }
      response.getHeaders().putAll(grouped);
    }
  }
}
