package dev.pagi.internal;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.Scope;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The lifespan protocol: one {@code lifespan} scope per servlet, {@code lifespan.startup} at init
 * and {@code lifespan.shutdown} at destroy, each with a bounded wait. Init and destroy are not
 * request threads, so they may block while waiting.
 */
public final class Lifespan {
  private static final Logger LOG = Logger.getLogger(Lifespan.class.getName());
  private static final String SEND_TYPES =
      "'lifespan.startup.complete', 'lifespan.startup.failed', 'lifespan.shutdown.complete',"
          + " 'lifespan.shutdown.failed'";

  /** Outcome of startup. */
  public enum Outcome {
    /** The app sent {@code lifespan.startup.complete}. */
    STARTED,
    /** The app raised or returned without a signal: lifespan unsupported, continue. */
    DECLINED
  }

  /** Where the protocol is. */
  private enum Stage {
    /** Waiting for the startup signal. Initial state. */
    STARTING,
    /** Entered on {@code lifespan.startup.complete}. */
    RUNNING,
    /** Entered when {@code lifespan.shutdown} was delivered. */
    STOPPING,
    /** Entered on a shutdown signal, a failure or a decline. */
    DONE
  }

  private final Map<String, Object> state = new ConcurrentHashMap<>();
  private final CompletableFuture<String> startup = new CompletableFuture<>();
  private final CompletableFuture<Void> shutdownSignal = new CompletableFuture<>();
  private final CompletableFuture<Map<String, Object>> shutdownEvent = new CompletableFuture<>();
  private Stage stage = Stage.STARTING;
  private boolean startupDelivered;

  /** The shared state every request scope gets a shallow copy of. */
  public Map<String, Object> state() {
    return state;
  }

  /**
   * Runs startup.
   *
   * @return STARTED or DECLINED
   * @throws StartupFailure on {@code lifespan.startup.failed} or timeout
   */
  public Outcome start(PagiApp app, Duration timeout) throws StartupFailure {
    Map<String, Object> scope =
        Map.of(
            Scope.TYPE,
            Scope.TYPE_LIFESPAN,
            Scope.PAGI,
            Map.of("version", Scope.PAGI_VERSION, "spec_version", Scope.PAGI_VERSION),
            Scope.STATE,
            state);
    try {
      CompletionStage<?> done = app.call(scope, this::receive, this::send);
      if (done == null) {
        startup.complete(null);
      } else {
        done.whenComplete(
            (v, t) -> {
              if (t != null) {
                LOG.log(
                    startup.isDone() ? Level.SEVERE : Level.INFO,
                    startup.isDone()
                        ? "PAGI lifespan failed after startup"
                        : "PAGI application declined lifespan",
                    t);
              }
              startup.complete(null);
              shutdownSignal.complete(null);
            });
      }
    } catch (Exception e) {
      LOG.log(Level.INFO, "PAGI application declined lifespan", e);
      startup.complete(null);
    }
    String result;
    try {
      result = startup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new StartupFailure("lifespan startup did not complete within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupFailure("interrupted while waiting for lifespan startup");
    } catch (ExecutionException e) {
      throw new StartupFailure(String.valueOf(e.getCause()));
    }
    synchronized (this) {
      if (result == null) {
        stage = Stage.DONE;
        return Outcome.DECLINED;
      }
      if (result.startsWith("failed:")) {
        stage = Stage.DONE;
        throw new StartupFailure(result.substring("failed:".length()));
      }
      return Outcome.STARTED;
    }
  }

  /** Delivers {@code lifespan.shutdown} and waits for the app's signal. */
  public void stop(Duration timeout) {
    synchronized (this) {
      if (stage != Stage.RUNNING) {
        return;
      }
      stage = Stage.STOPPING;
    }
    shutdownEvent.complete(Map.of("type", Events.LIFESPAN_SHUTDOWN));
    try {
      shutdownSignal.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warning("PAGI lifespan shutdown did not complete within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.log(Level.WARNING, "PAGI lifespan shutdown failed", e.getCause());
    }
  }

  private CompletionStage<Map<String, Object>> receive() {
    synchronized (this) {
      if (!startupDelivered) {
        startupDelivered = true;
        return CompletableFuture.completedFuture(Map.of("type", Events.LIFESPAN_STARTUP));
      }
    }
    return shutdownEvent;
  }

  private CompletionStage<Void> send(Map<String, Object> event) {
    String type = event == null ? "" : Events.type(event);
    Stage now;
    synchronized (this) {
      now = stage;
      switch (type) {
        case Events.LIFESPAN_STARTUP_COMPLETE, Events.LIFESPAN_STARTUP_FAILED -> {
          if (now != Stage.STARTING) {
            return CompletableFuture.failedFuture(Messages.after(type, "lifespan startup"));
          }
          stage = type.equals(Events.LIFESPAN_STARTUP_COMPLETE) ? Stage.RUNNING : Stage.DONE;
        }
        case Events.LIFESPAN_SHUTDOWN_COMPLETE, Events.LIFESPAN_SHUTDOWN_FAILED -> {
          if (now != Stage.STOPPING) {
            return CompletableFuture.failedFuture(
                Messages.expected(Events.LIFESPAN_STARTUP_COMPLETE, type));
          }
          stage = Stage.DONE;
        }
        default -> {
          return CompletableFuture.failedFuture(
              Messages.unrecognized(type, "lifespan", SEND_TYPES));
        }
      }
    }
    String message = event.get("message") instanceof String m ? m : "";
    switch (type) {
      case Events.LIFESPAN_STARTUP_COMPLETE -> startup.complete("complete");
      case Events.LIFESPAN_STARTUP_FAILED -> startup.complete("failed:" + message);
      case Events.LIFESPAN_SHUTDOWN_FAILED -> {
        LOG.severe("PAGI lifespan shutdown failed: " + message);
        shutdownSignal.complete(null);
      }
      default -> shutdownSignal.complete(null);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** {@code lifespan.startup.failed}, or no signal within the timeout. */
  public static final class StartupFailure extends Exception {
    private static final long serialVersionUID = 1L;

    StartupFailure(String message) {
      super(message);
    }
  }
}
