package dev.pagi.bench;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** The baseline WebSocket echo: a plain Jakarta WebSocket endpoint at {@code /plain-ws}. */
@ServerEndpoint("/plain-ws")
public class PlainEcho {
  /**
   * Echoes a text message asynchronously.
   *
   * @param message the message
   * @param session the session
   */
  @OnMessage
  public void onMessage(String message, Session session) {
    session.getAsyncRemote().sendText(message);
  }
}
