package dev.pagi.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The keepalive and idle timers of one SSE stream, on the servlet's shared scheduler. At most one
 * task of each kind is scheduled at any time: the idle timer re-arms itself for the remaining time
 * instead of being rescheduled on every event, so activity costs one volatile write. After {@link
 * #cancel()} nothing of this stream is left on the scheduler. Guarded by {@code this}; the tasks
 * run without the lock.
 */
final class SseTimers {
  private final ScheduledExecutorService scheduler;
  private ScheduledFuture<?> keepalive;
  private ScheduledFuture<?> idle;
  private boolean cancelled;
  private volatile long lastActivity = System.nanoTime();

  SseTimers(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Replaces the keepalive (last setting wins).
   *
   * @param intervalNanos the period; zero or less stops it
   * @param tick what to run each period
   */
  synchronized void keepalive(long intervalNanos, Runnable tick) {
    if (keepalive != null) {
      keepalive.cancel(false);
      keepalive = null;
    }
    if (cancelled || intervalNanos <= 0) {
      return;
    }
    keepalive =
        schedule(
            () ->
                scheduler.scheduleAtFixedRate(
                    tick, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS));
  }

  /** Records application activity; the idle timer counts from the latest. */
  void activity() {
    lastActivity = System.nanoTime();
  }

  /**
   * Arms the idle timer, counting from now.
   *
   * @param timeoutNanos how long the stream may stay quiet; zero or less disables
   * @param onIdle run once when that time passed without {@link #activity()}
   */
  synchronized void idle(long timeoutNanos, Runnable onIdle) {
    activity();
    if (cancelled || timeoutNanos <= 0) {
      return;
    }
    idle = schedule(() -> scheduleIdle(timeoutNanos, timeoutNanos, onIdle));
  }

  private void checkIdle(long timeoutNanos, Runnable onIdle) {
    long quiet = System.nanoTime() - lastActivity;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      if (quiet < timeoutNanos) {
        idle = schedule(() -> scheduleIdle(timeoutNanos - quiet, timeoutNanos, onIdle));
        return;
      }
      idle = null;
    }
    onIdle.run();
  }

  private ScheduledFuture<?> scheduleIdle(long delay, long timeoutNanos, Runnable onIdle) {
    return scheduler.schedule(() -> checkIdle(timeoutNanos, onIdle), delay, TimeUnit.NANOSECONDS);
  }

  /** Stops both timers for good. */
  synchronized void cancel() {
    cancelled = true;
    if (keepalive != null) {
      keepalive.cancel(false);
      keepalive = null;
    }
    if (idle != null) {
      idle.cancel(false);
      idle = null;
    }
  }

  /** Whether a timer of this stream is still scheduled (for tests). */
  synchronized boolean scheduled() {
    return keepalive != null || idle != null;
  }

  private interface Scheduling {
    ScheduledFuture<?> run();
  }

  private static ScheduledFuture<?> schedule(Scheduling s) {
    try {
      return s.run();
    } catch (RejectedExecutionException e) {
      // The servlet is being destroyed: its shutdown ends the stream without timers.
      return null;
    }
  }
}
