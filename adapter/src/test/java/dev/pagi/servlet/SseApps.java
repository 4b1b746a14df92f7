package dev.pagi.servlet;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Send;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Small pieces for SSE test apps: a blocking-style app runner and event builders. */
final class SseApps {
  private SseApps() {}

  private static final ExecutorService THREADS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sse-test-app");
            t.setDaemon(true);
            return t;
          });

  /** An app body written in blocking style; it runs on its own thread, never a container one. */
  interface Body {
    void run(Map<String, Object> scope, Receive receive, Send send) throws Exception;
  }

  /** Runs {@code body} on an app thread for sse scopes; other scope types are declined. */
  static PagiApp blocking(Body body) {
    return (scope, receive, send) -> {
      if ("lifespan".equals(scope.get("type"))) {
        throw new IllegalStateException("no lifespan");
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      THREADS.execute(
          () -> {
            try {
              body.run(scope, receive, send);
              done.complete(null);
            } catch (Throwable t) {
              done.completeExceptionally(t);
            }
          });
      return done;
    };
  }

  static Map<String, Object> event(String type, Object... kv) {
    Map<String, Object> e = Events.of(type);
    for (int i = 0; i < kv.length; i += 2) {
      e.put((String) kv[i], kv[i + 1]);
    }
    return e;
  }

  static Map<String, Object> start() {
    return Events.of(Events.SSE_START);
  }

  static Map<String, Object> data(String data) {
    return Events.sseSend(data);
  }

  /** Sends and waits; a failed send throws its cause. */
  static void send(Send send, Map<String, Object> event) throws Exception {
    try {
      send.send(event).toCompletableFuture().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** Sends and reports the failure instead of throwing: {@code null} when the send succeeded. */
  static Throwable attempt(Send send, Map<String, Object> event) {
    try {
      send(send, event);
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  /** Receives and waits; a failed receive throws its cause. */
  static Map<String, Object> receive(Receive receive) throws Exception {
    try {
      return receive.receive().toCompletableFuture().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  static Map<String, Object> decline(int status, List<Header> headers) {
    Map<String, Object> e = Events.of(Events.SSE_HTTP_RESPONSE_START);
    e.put("status", status);
    e.put("headers", headers);
    return e;
  }

  static Map<String, Object> declineBody(String body, boolean more) {
    Map<String, Object> e = new LinkedHashMap<>(Events.of(Events.SSE_HTTP_RESPONSE_BODY));
    e.put("body", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    e.put("more", more ? 1 : 0);
    return e;
  }

  /** Collects log records of {@code dev.pagi} at or above a level while installed. */
  static final class LogCapture implements AutoCloseable {
    final List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("dev.pagi");
    private final Level previous = logger.getLevel();
    private final Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    LogCapture(Level level) {
      handler.setLevel(level);
      logger.setLevel(level.intValue() < Level.INFO.intValue() ? level : previous);
      logger.addHandler(handler);
    }

    List<LogRecord> atLeast(Level level) {
      return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

    @Override
    public void close() {
      logger.removeHandler(handler);
      logger.setLevel(previous);
    }
  }
}
