package dev.pagi.internal;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * Jetty 12 (ee10): the Jakarta session's core session sends fragments, pings and Close frames
 * without blocking, and can drop a connection outright. Whole messages keep the portable path. The
 * core session still frames, masks and compresses; nothing here builds frame bytes.
 */
final class JettyWebSocketWire extends JakartaWire {
  private final CoreSession core;

  private JettyWebSocketWire(Session session, Executor blocking, CoreSession core) {
    super(session, blocking);
    this.core = core;
  }

  /**
   * @return a Jetty wire, or {@code null} when the session is not Jetty's or its classes are absent
   */
  static WebSocketWire of(Session session, Executor blocking) {
    try {
      if (session instanceof JakartaWebSocketSession jetty) {
        return new JettyWebSocketWire(session, blocking, jetty.getCoreSession());
      }
    } catch (LinkageError e) {
      // Jetty's WebSocket classes are not visible to the adapter: use the portable wire.
    }
    return null;
  }

  @Override
  public void fragment(String text, byte[] data, boolean first, boolean last, Done done) {
    byte opcode = !first ? OpCode.CONTINUATION : text != null ? OpCode.TEXT : OpCode.BINARY;
    Frame frame =
        text != null
            ? new Frame(opcode, last, text)
            : new Frame(opcode, last, ByteBuffer.wrap(data));
    core.sendFrame(frame, callback(done), false);
  }

  @Override
  public void ping(byte[] payload, Done done) {
    core.sendFrame(new Frame(OpCode.PING, ByteBuffer.wrap(payload)), callback(done), false);
  }

  @Override
  public void close(int code, String reason, Done done) {
    core.close(code, reason, callback(done));
  }

  @Override
  public void abort(int code, String reason) {
    core.abort();
  }

  private static Callback callback(Done done) {
    return Callback.from(() -> done.completed(null), done::completed);
  }
}
