package dev.pagi.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The portable {@link WebSocketWire}: Jakarta WebSocket 2.1 only.
 *
 * <p>Whole messages go through {@code RemoteEndpoint.Async}, which is non-blocking. The Jakarta API
 * offers pings, partial messages and close only as blocking calls, so those run on the runtime's
 * small blocking pool ({@link ServletRuntime#blockingExecutor()}), never on a container or timer
 * thread. With one operation in flight per session such a call normally returns as soon as the
 * frame is in the socket buffer; a peer that stops reading can hold a pool thread until the
 * container's send timeout. There is no portable abort: it sends a Close frame and shortens the
 * session's idle timeout so the container drops the connection soon after.
 */
class JakartaWire implements WebSocketWire {
  private static final Logger LOG = Logger.getLogger(JakartaWire.class.getName());

  final Session session;
  private final Executor blocking;

  JakartaWire(Session session, Executor blocking) {
    this.session = session;
    this.blocking = blocking;
  }

  @Override
  public void text(String text, Done done) {
    session.getAsyncRemote().sendText(text, handler(done));
  }

  @Override
  public void binary(byte[] data, Done done) {
    session.getAsyncRemote().sendBinary(ByteBuffer.wrap(data), handler(done));
  }

  @Override
  public void fragment(String text, byte[] data, boolean first, boolean last, Done done) {
    blocking(
        () -> {
          if (text != null) {
            session.getBasicRemote().sendText(text, last);
          } else {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(data), last);
          }
        },
        done);
  }

  @Override
  public void ping(byte[] payload, Done done) {
    blocking(() -> session.getBasicRemote().sendPing(ByteBuffer.wrap(payload)), done);
  }

  @Override
  public void close(int code, String reason, Done done) {
    blocking(() -> session.close(reason(code, reason)), done);
  }

  @Override
  public void abort(int code, String reason) {
    try {
      session.setMaxIdleTimeout(1000);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "cannot shorten the idle timeout of a closing session", e);
    }
    blocking(() -> session.close(reason(code, reason)), failure -> {});
  }

  static CloseReason reason(int code, String reason) {
    return new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason);
  }

  private static SendHandler handler(Done done) {
    return result -> done.completed(result.isOK() ? null : result.getException());
  }

  /** A container call that may throw. */
  interface Call {
    void run() throws IOException;
  }

  private void blocking(Call call, Done done) {
    try {
      blocking.execute(
          () -> {
            Throwable failure = null;
            try {
              call.run();
            } catch (IOException | RuntimeException e) {
              failure = e;
            }
            done.completed(failure);
          });
    } catch (RuntimeException e) {
      // The pool is shut down: the servlet is being destroyed.
      done.completed(e);
    }
  }
}
