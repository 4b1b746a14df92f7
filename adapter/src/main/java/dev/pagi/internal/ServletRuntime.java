package dev.pagi.internal;

import dev.pagi.PagiApp;
import dev.pagi.servlet.PagiConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@code PagiServlet} shares across its exchanges: the application, the configuration, the
 * lifespan state, one scheduler for every timer (keepalives, idle and handshake timeouts), and the
 * set of live exchanges (for graceful shutdown and the active-exchange gauge).
 */
public final class ServletRuntime {
  private static final AtomicInteger SCHEDULER_IDS = new AtomicInteger();

  /** Something that can be told the server is shutting down. */
  public interface Live {
    /** Ends the exchange with reason {@code server_shutdown}. Idempotent. */
    void shutdown();

    /**
     * @return whether the exchange never ends by itself (a WebSocket session), so it is ended as
     *     soon as the server begins to stop rather than drained
     */
    default boolean longLived() {
      return false;
    }
  }

  private final PagiApp app;
  private final PagiConfig config;
  private final ContainerSupport container;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Set<Live> live = ConcurrentHashMap.newKeySet();
  private volatile Map<String, Object> lifespanState;
  private final int id;
  private ThreadPoolExecutor blocking;

  /**
   * @param app the application
   * @param config the settings
   * @param container container-specific support
   */
  public ServletRuntime(PagiApp app, PagiConfig config, ContainerSupport container) {
    this.app = app;
    this.config = config;
    this.container = container;
    this.id = SCHEDULER_IDS.incrementAndGet();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "pagi-timer-" + id);
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  public PagiApp app() {
    return app;
  }

  public PagiConfig config() {
    return config;
  }

  public ContainerSupport container() {
    return container;
  }

  /** The shared timer; never run blocking work on it. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * A small shared pool (at most {@value #BLOCKING_THREADS} threads, created on first use) for the
   * few container calls the portable WebSocket API offers only in blocking form: pings, partial
   * messages and close on containers without a non-blocking alternative. Never for application
   * code.
   */
  public synchronized Executor blockingExecutor() {
    if (blocking == null) {
      AtomicInteger n = new AtomicInteger();
      blocking =
          new ThreadPoolExecutor(
              BLOCKING_THREADS,
              BLOCKING_THREADS,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "pagi-blocking-" + id + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      blocking.allowCoreThreadTimeOut(true);
    }
    return blocking;
  }

  private static final int BLOCKING_THREADS = 4;

  /** The lifespan state, or {@code null} when lifespan did not run or was declined. */
  public Map<String, Object> lifespanState() {
    return lifespanState;
  }

  public void lifespanState(Map<String, Object> state) {
    this.lifespanState = state;
  }

  /** Registers a live exchange; remove it when it ends. */
  public void register(Live exchange) {
    live.add(exchange);
  }

  public void unregister(Live exchange) {
    if (live.remove(exchange) && exchange.longLived()) {
      synchronized (live) {
        live.notifyAll();
      }
    }
  }

  /** How many exchanges are live (the active-exchange gauge). */
  public int activeExchanges() {
    return live.size();
  }

  // Requests inside service(): an http exchange joins the live set only as service() returns, so
  // the shutdown waits for them before it looks at the set. Every request counts itself in and
  // out, from every container thread at once: striped, so they do not contend for one word.
  private final LongAdder inService = new LongAdder();
  private final Object serviceDrained = new Object();
  private volatile boolean stopping;

  /** A request enters {@code service()}; pair with {@link #exitService()}. */
  public void enterService() {
    inService.increment();
  }

  /** A request leaves {@code service()}. */
  public void exitService() {
    inService.decrement();
    if (stopping) {
      synchronized (serviceDrained) {
        serviceDrained.notifyAll();
      }
    }
  }

  /** Whether {@link #shutdownLive} has begun: an exchange registering now shuts itself down. */
  public boolean stopping() {
    return stopping;
  }

  /**
   * Tells every live exchange the server is shutting down, after waiting (at most {@code wait}) for
   * the requests still inside {@code service()}, so none of them joins the live set unnoticed.
   */
  public void shutdownLive(Duration wait) {
    stopping = true;
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (serviceDrained) {
      long left;
      while (inService.sum() > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          // Re-checked at least every 50 ms: the sum is read cell by cell.
          TimeUnit.NANOSECONDS.timedWait(
              serviceDrained, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (Live l : live.toArray(new Live[0])) {
      l.shutdown();
    }
  }

  /**
   * Tells the live exchanges that never end by themselves that the server is stopping, then waits
   * (at most {@code wait}) for them to end, so their goodbyes (WebSocket Close frames) reach the
   * clients before the container closes connections. Called on the thread stopping the server.
   */
  public void shutdownLongLived(Duration wait) {
    List<Live> ending = new ArrayList<>();
    for (Live l : live.toArray(new Live[0])) {
      if (l.longLived()) {
        ending.add(l);
        l.shutdown();
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (live) {
      ending.removeIf(l -> !live.contains(l));
      long left;
      while (!ending.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(live, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        ending.removeIf(l -> !live.contains(l));
      }
    }
  }

  /** Stops the scheduler (and the blocking pool, if it was used). */
  public void stop() {
    synchronized (this) {
      if (blocking != null) {
        blocking.shutdownNow();
      }
    }
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
