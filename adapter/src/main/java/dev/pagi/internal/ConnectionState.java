package dev.pagi.internal;

import dev.pagi.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code pagi.connection} of one http request.
 *
 * <pre>
 *   OPEN ──complete()──────▶ COMPLETED      (on_complete callbacks)
 *     │
 *     └──disconnect(reason)─▶ DISCONNECTED  (is_connected=false, reason, future, on_disconnect)
 * </pre>
 *
 * Both ends are final and the first one wins. The response flags ({@code response_started}, {@code
 * response_complete}) are set by the exchange. Guarded by {@code this}; callbacks run after the
 * lock is released.
 */
public final class ConnectionState implements Connection {
  private static final Logger LOG = Logger.getLogger(ConnectionState.class.getName());

  /** How the request ended, if it has. */
  private enum End {
    /** Still running. Initial state. */
    OPEN,
    /** Entered by {@link #complete()}: the response was fully delivered. */
    COMPLETED,
    /** Entered by {@link #disconnect(String)}: an abnormal end with a reason. */
    DISCONNECTED
  }

  private End end = End.OPEN;
  private String reason;
  // Created on first use: most requests never register a callback or ask for the future. Only
  // added to while OPEN; the end takes them over.
  private CompletableFuture<String> disconnectFuture;
  private List<Consumer<String>> onDisconnect;
  private List<Runnable> onComplete;
  private volatile boolean responseStarted;
  private volatile boolean responseComplete;

  @Override
  public synchronized boolean isConnected() {
    return end == End.OPEN;
  }

  @Override
  public synchronized String disconnectReason() {
    return reason;
  }

  @Override
  public void onDisconnect(Consumer<String> callback) {
    String now;
    synchronized (this) {
      if (end == End.OPEN) {
        if (onDisconnect == null) {
          onDisconnect = new ArrayList<>();
        }
        onDisconnect.add(callback);
        return;
      }
      now = reason;
    }
    if (now != null) {
      safely(() -> callback.accept(now));
    }
  }

  @Override
  public void onComplete(Runnable callback) {
    synchronized (this) {
      if (end == End.OPEN) {
        if (onComplete == null) {
          onComplete = new ArrayList<>();
        }
        onComplete.add(callback);
        return;
      }
      if (end != End.COMPLETED) {
        return;
      }
    }
    safely(callback);
  }

  @Override
  public CompletionStage<String> disconnectFuture() {
    CompletableFuture<String> f;
    synchronized (this) {
      if (disconnectFuture == null) {
        disconnectFuture =
            end == End.DISCONNECTED
                ? CompletableFuture.completedFuture(reason)
                : new CompletableFuture<>();
      }
      f = disconnectFuture;
    }
    return f.minimalCompletionStage();
  }

  @Override
  public boolean responseStarted() {
    return responseStarted;
  }

  @Override
  public Boolean responseComplete() {
    return responseComplete;
  }

  void markResponseStarted() {
    responseStarted = true;
  }

  void markResponseComplete() {
    responseComplete = true;
  }

  /**
   * Clean end: runs the {@code on_complete} callbacks.
   *
   * @return false when the request had already ended
   */
  boolean complete() {
    List<Runnable> fire;
    synchronized (this) {
      if (end != End.OPEN) {
        return false;
      }
      end = End.COMPLETED;
      fire = onComplete;
      onComplete = null;
      onDisconnect = null;
    }
    if (fire != null) {
      fire.forEach(ConnectionState::safely);
    }
    return true;
  }

  /**
   * Abnormal end, in the spec's order: not connected, reason, future, callbacks. The caller queues
   * {@code http.disconnect} afterwards.
   *
   * @return false when the request had already ended (the first reason is kept)
   */
  boolean disconnect(String why) {
    List<Consumer<String>> fire;
    CompletableFuture<String> future;
    synchronized (this) {
      if (end != End.OPEN) {
        return false;
      }
      end = End.DISCONNECTED;
      reason = why;
      fire = onDisconnect;
      onDisconnect = null;
      onComplete = null;
      future = disconnectFuture;
    }
    if (future != null) {
      future.complete(why);
    }
    if (fire != null) {
      for (Consumer<String> c : fire) {
        safely(() -> c.accept(why));
      }
    }
    return true;
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "pagi.connection callback failed", e);
    }
  }
}
