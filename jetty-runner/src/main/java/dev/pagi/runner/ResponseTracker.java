package dev.pagi.runner;

import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts in-flight requests that will end by themselves, so a graceful stop can wait for exactly
 * those. Event streams (the spec's SSE detection: {@code Accept} includes {@code
 * text/event-stream}) and WebSocket handshakes (an {@code Upgrade: websocket} request or an HTTP/2
 * extended {@code CONNECT}) are not counted: they last until the application or the client ends
 * them, so waiting for them would always run into the shutdown timeout. They end with {@code
 * server_shutdown} when the context stops after the wait.
 */
final class ResponseTracker extends Handler.Wrapper {
  private int inFlight;
  private CompletableFuture<Void> drained;

  ResponseTracker(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (isStream(request)) {
      return super.handle(request, response, callback);
    }
    enter();
    Callback counted =
        new Callback.Nested(callback) {
          @Override
          public void completed() {
            exit();
          }
        };
    boolean handled;
    try {
      handled = super.handle(request, response, counted);
    } catch (Throwable t) {
      exit();
      throw t;
    }
    if (!handled) {
      exit();
    }
    return handled;
  }

  static boolean isStream(Request request) {
    if ("CONNECT".equalsIgnoreCase(request.getMethod())) {
      return true;
    }
    String accept = request.getHeaders().get(HttpHeader.ACCEPT);
    if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream")) {
      return true;
    }
    String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
    return upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket");
  }

  private synchronized void enter() {
    inFlight++;
  }

  private void exit() {
    CompletableFuture<Void> done = null;
    synchronized (this) {
      inFlight--;
      if (inFlight == 0 && drained != null) {
        done = drained;
      }
    }
    if (done != null) {
      done.complete(null);
    }
  }

  /**
   * @return a stage completing when no counted request is in flight (at once when none is)
   */
  CompletableFuture<Void> drained() {
    synchronized (this) {
      if (drained == null) {
        drained = new CompletableFuture<>();
      }
      if (inFlight > 0) {
        return drained;
      }
    }
    drained.complete(null);
    return drained;
  }
}
