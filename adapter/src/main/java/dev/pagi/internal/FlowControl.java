package dev.pagi.internal;

import dev.pagi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code pagi.transport} of one response, SSE stream or WebSocket session: counts bytes handed
 * to the writer but not yet written, and implements the watermark hysteresis.
 *
 * <p>Writers call {@link #enqueued} when they accept bytes and {@link #written} when the container
 * took them; {@link #close} when the exchange ends. State is guarded by {@code this}; callbacks and
 * waiting sends are completed after the lock is released.
 */
public final class FlowControl implements Transport {
  private static final Logger LOG = Logger.getLogger(FlowControl.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** Where the buffer is in the hysteresis cycle. */
  private enum Level2 {
    /** Below the high mark since the last drain (or ever). Initial state. */
    NORMAL,
    /** Reached the high mark; stays here until the buffer falls below the low mark. */
    HIGH
  }

  private final long high;
  private final long low;
  private long buffered;
  private Level2 level = Level2.NORMAL;
  private boolean closed;
  // Created on first use: most streams never register a callback nor wait for a drain.
  private List<Runnable> highCallbacks;
  private List<Runnable> drainCallbacks;
  private List<CompletableFuture<Void>> waiters;

  /**
   * @param high the high-water mark in bytes
   * @param low the low-water mark in bytes
   */
  public FlowControl(long high, long low) {
    this.high = high;
    this.low = low;
  }

  @Override
  public synchronized long bufferedAmount() {
    return Math.max(0, buffered);
  }

  @Override
  public Long highWaterMark() {
    return high;
  }

  @Override
  public Long lowWaterMark() {
    return low;
  }

  @Override
  public void onHighWater(Runnable callback) {
    boolean now;
    synchronized (this) {
      if (highCallbacks == null) {
        highCallbacks = new ArrayList<>(1);
      }
      highCallbacks.add(callback);
      now = !closed && buffered >= high;
    }
    if (now) {
      run(List.of(callback));
    }
  }

  @Override
  public void onDrain(Runnable callback) {
    synchronized (this) {
      if (drainCallbacks == null) {
        drainCallbacks = new ArrayList<>(1);
      }
      drainCallbacks.add(callback);
    }
  }

  /**
   * Records bytes accepted for writing.
   *
   * @param bytes how many
   * @return a stage completing at once when under the high mark, else after the drain
   */
  public CompletionStage<Void> enqueued(long bytes) {
    List<Runnable> fire = null;
    CompletableFuture<Void> wait;
    synchronized (this) {
      if (closed) {
        return DONE;
      }
      buffered += bytes;
      if (buffered < high) {
        return DONE;
      }
      if (level == Level2.NORMAL) {
        level = Level2.HIGH;
        fire = copy(highCallbacks);
      }
      wait = new CompletableFuture<>();
      if (waiters == null) {
        waiters = new ArrayList<>(1);
      }
      waiters.add(wait);
    }
    if (fire != null) {
      run(fire);
    }
    return wait;
  }

  /**
   * Records bytes the container has taken.
   *
   * @param bytes how many
   */
  public void written(long bytes) {
    List<Runnable> fire;
    List<CompletableFuture<Void>> release;
    synchronized (this) {
      // May dip below zero for a moment when the writer takes bytes before the sender has
      // accounted them; the sender's enqueued() follows and restores the balance.
      buffered -= bytes;
      if (level != Level2.HIGH || buffered >= low || closed) {
        return;
      }
      level = Level2.NORMAL;
      fire = copy(drainCallbacks);
      release = copy(waiters);
      waiters = null;
    }
    // Callbacks first: a released send may run the application synchronously and cross the high
    // mark again, and an on_drain arriving after that on_high_water would invert the cycle.
    run(fire);
    release.forEach(w -> w.complete(null));
  }

  /** The exchange ended: nothing is buffered any more and waiting sends resolve (not fail). */
  public void close() {
    List<CompletableFuture<Void>> release;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      buffered = 0;
      release = waiters;
      waiters = null;
    }
    if (release != null) {
      release.forEach(w -> w.complete(null));
    }
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : new ArrayList<>(list);
  }

  private static void run(List<Runnable> callbacks) {
    for (Runnable r : callbacks) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "pagi.transport callback failed", e);
      }
    }
  }
}
