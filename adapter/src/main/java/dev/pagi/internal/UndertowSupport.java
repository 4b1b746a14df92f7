package dev.pagi.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Undertow 2.3 support, used when the servlet context says it is Undertow. Undertow ends a
 * committed response cleanly (terminal chunk, or END_STREAM) even when the servlet throws from the
 * re-dispatch the portable abort relies on, so {@link #abort} closes the exchange's server
 * connection instead: over HTTP/1.1 that closes the TCP connection, over HTTP/2 Undertow's
 * per-stream connection resets only that stream ({@code RST_STREAM} with {@code CANCEL}).
 *
 * <p>Over HTTP/2 Undertow cancels a request stream whose body passes the exchange's max entity size
 * (2 MiB there by default) without telling the servlet, so the application would wait for a body
 * that never ends; {@link #admitBodyUpTo} raises that size above the adapter's own limit, which
 * then answers with 413 or {@code body_too_large}.
 *
 * <p>Undertow is reached reflectively ({@code HttpServletRequestImpl.getExchange()}, {@code
 * HttpServerExchange.getConnection()}, a {@link Closeable}), so the adapter has no dependency on
 * it; when any piece is missing the portable abort runs.
 */
final class UndertowSupport extends ContainerSupports.Portable {
  private static final Logger LOG = Logger.getLogger(UndertowSupport.class.getName());

  @Override
  public void abort(HttpServletRequest request, AsyncContext async, Throwable cause) {
    Closeable connection = connection(request);
    if (connection == null) {
      super.abort(request, async, cause);
      return;
    }
    try {
      connection.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "closing the aborted exchange's connection failed", e);
    }
    try {
      // Undertow ends the request itself once the connection is gone; this makes it certain. Over
      // HTTP/1.1 Undertow may log UT005088 as it fails to write the end of the body to the closed
      // connection: that write is exactly what must not happen.
      async.complete();
    } catch (IllegalStateException e) {
      LOG.log(Level.FINE, "async context already completed", e);
    }
  }

  /** {@code getMaxEntitySize}, {@code setMaxEntitySize}: looked up once per exchange class. */
  private static final ClassValue<Method[]> ENTITY_SIZE =
      new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
          try {
            return new Method[] {
              type.getMethod("getMaxEntitySize"), type.getMethod("setMaxEntitySize", long.class)
            };
          } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  /** Room above the adapter's limit for what HTTP/2 flow control lets arrive before a read. */
  static final long HEADROOM = 1L << 20;

  @Override
  public void admitBodyUpTo(HttpServletRequest request, long limit) {
    Object exchange = exchange(request);
    if (exchange == null) {
      return;
    }
    try {
      Method[] m = ENTITY_SIZE.get(exchange.getClass());
      long current = (Long) m[0].invoke(exchange);
      long wanted = limit > 0 ? limit + HEADROOM : -1;
      if (current >= 0 && (wanted < 0 || current < wanted)) {
        m[1].invoke(exchange, wanted);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Undertow refuses once the body started; its own limit then stays.
      LOG.log(Level.FINE, "could not raise Undertow's max entity size", e);
    }
  }

  /**
   * @param request a request Undertow gave to the servlet, possibly wrapped
   * @return the {@code ServerConnection} of its exchange, or {@code null} when it cannot be reached
   */
  static Closeable connection(ServletRequest request) {
    Object exchange = exchange(request);
    if (exchange == null) {
      return null;
    }
    try {
      return call(exchange, "getConnection") instanceof Closeable c ? c : null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(Level.FINE, "no connection on " + exchange.getClass().getName(), e);
      return null;
    }
  }

  /**
   * @param request a request Undertow gave to the servlet, possibly wrapped
   * @return its {@code HttpServerExchange}, or {@code null} when it is not Undertow's
   */
  static Object exchange(ServletRequest request) {
    ServletRequest r = request;
    while (r instanceof ServletRequestWrapper w) {
      r = w.getRequest();
    }
    try {
      return call(r, "getExchange");
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(Level.FINE, "not an Undertow request: " + r.getClass().getName(), e);
      return null;
    }
  }

  private static Object call(Object target, String name) throws ReflectiveOperationException {
    Method m = target.getClass().getMethod(name);
    return m.invoke(target);
  }
}
