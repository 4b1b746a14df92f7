package dev.pagi.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices an HTTP/1.1 client that closes while its SSE stream is idle.
 *
 * <p>Jetty's HTTP/1.1 connection does not read while a request is being handled and its body is
 * consumed, so a client's FIN goes unnoticed until the next write fails. This watcher takes the
 * endpoint's fill interest for that time; when the socket turns readable it reads: end of stream
 * means the client left, and closing the connection makes Jetty fail the request, which reaches the
 * exchange through the failure listener of {@link JettySupport#onClientGone}. Bytes a client
 * pipelines behind a stream that never ends on its own cannot be served and are discarded.
 *
 * <p>Jetty closes a connection that is still fill-interested when its response completes ("pending
 * read"), so a watched HTTP/1.1 connection ends with its stream, as the SSE specification has it,
 * and the watcher's callback then fails quietly. HTTP/2 needs no watcher: the session always reads,
 * and a reset stream or a closed connection fails the request directly.
 *
 * <p>The callback is blocking-type, so Jetty runs it on its thread pool, never on a selector: the
 * failure it triggers completes application stages.
 */
final class JettyIdleWatch implements Callback {
  private static final Logger LOG = Logger.getLogger(JettyIdleWatch.class.getName());

  private final Connection connection;
  private final EndPoint endPoint;

  private JettyIdleWatch(Connection connection, EndPoint endPoint) {
    this.connection = connection;
    this.endPoint = endPoint;
  }

  /**
   * @param core the core request of a stream whose request body has been read
   * @return whether a client that closes will be noticed without a write
   */
  static boolean start(Request core) {
    HttpVersion version = core.getConnectionMetaData().getHttpVersion();
    if (version == HttpVersion.HTTP_2 || version == HttpVersion.HTTP_3) {
      return true;
    }
    Connection connection = core.getConnectionMetaData().getConnection();
    if (connection == null) {
      return false;
    }
    EndPoint endPoint = connection.getEndPoint();
    return endPoint != null && endPoint.tryFillInterested(new JettyIdleWatch(connection, endPoint));
  }

  @Override
  public void succeeded() {
    // Taken only when the socket turned readable: an idle stream's watcher holds no buffer.
    ByteBuffer buffer = BufferUtil.allocate(512);
    try {
      while (true) {
        BufferUtil.clear(buffer);
        int n = endPoint.fill(buffer);
        if (n < 0) {
          connection.close();
          return;
        }
        if (n == 0) {
          endPoint.tryFillInterested(this);
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "reading from an idle SSE client failed", e);
      connection.close();
    }
  }

  @Override
  public void failed(Throwable cause) {
    // The connection closed: Jetty reports that to the request by itself.
    LOG.log(Level.FINE, "idle SSE watch ended", cause);
  }
}
