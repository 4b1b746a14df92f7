package dev.pagi.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code websocket.keepalive}: a Ping every {@code interval} on the runtime's shared scheduler and,
 * with a {@code timeout}, a deadline for the Pong. The deadline runs from when the Ping is queued,
 * so a peer that stops reading (and so cannot see the Ping behind our queued data) times out too. A
 * Pong answers every Ping sent before it. The last configuration wins; an interval of 0 stops the
 * pings. Guarded by {@code this}; the target is called with the lock released.
 */
final class WebSocketKeepalive {

  /** The session the pings are for. */
  interface Target {
    /** Where the session is, for the keepalive. */
    enum Phase {
      /** Not open yet: ticks are skipped. */
      OPENING,
      /** Open: ticks ping. */
      OPEN,
      /** Closing or closed: the keepalive stops. */
      ENDED
    }

    /**
     * @return the session's phase now
     */
    Phase phase();

    /**
     * @return whether a Ping is queued (false once the session is closing)
     */
    boolean ping();

    /** No Pong within the timeout. */
    void timedOut();
  }

  private final ScheduledExecutorService scheduler;
  private final Target target;
  private ScheduledFuture<?> ticker;
  private ScheduledFuture<?> deadline;
  private long timeoutNanos;
  private long unansweredSince = -1;
  private boolean stopped;

  WebSocketKeepalive(ScheduledExecutorService scheduler, Target target) {
    this.scheduler = scheduler;
    this.target = target;
  }

  /**
   * @param intervalSeconds seconds between pings; 0 stops them
   * @param timeoutSeconds seconds to wait for a Pong; 0 for no dead-peer detection
   */
  synchronized void configure(double intervalSeconds, double timeoutSeconds) {
    if (stopped) {
      return;
    }
    cancelLocked();
    unansweredSince = -1;
    timeoutNanos = (long) (timeoutSeconds * 1e9);
    long interval = (long) (intervalSeconds * 1e9);
    if (interval > 0) {
      ticker = scheduler.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.NANOSECONDS);
    }
  }

  /** A Pong arrived. */
  synchronized void pong() {
    unansweredSince = -1;
  }

  /** The session ended: no timer is left behind. Idempotent. */
  synchronized void stop() {
    stopped = true;
    cancelLocked();
  }

  private void cancelLocked() {
    if (ticker != null) {
      ticker.cancel(false);
      ticker = null;
    }
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void tick() {
    switch (target.phase()) {
      case OPENING -> {
        return;
      }
      case ENDED -> {
        stop();
        return;
      }
      default -> {}
    }
    // The Ping counts as unanswered before it is queued: its Pong may come back at once.
    synchronized (this) {
      if (stopped || ticker == null) {
        return;
      }
      if (unansweredSince < 0) {
        unansweredSince = System.nanoTime();
      }
      if (timeoutNanos > 0 && deadline == null) {
        deadline =
            scheduler.schedule(
                this::check,
                unansweredSince + timeoutNanos - System.nanoTime(),
                TimeUnit.NANOSECONDS);
      }
    }
    if (!target.ping()) {
      stop();
    }
  }

  private void check() {
    synchronized (this) {
      deadline = null;
      if (stopped || unansweredSince < 0 || timeoutNanos <= 0) {
        return;
      }
      long left = unansweredSince + timeoutNanos - System.nanoTime();
      if (left > 0) {
        deadline = scheduler.schedule(this::check, left, TimeUnit.NANOSECONDS);
        return;
      }
      stopped = true;
      cancelLocked();
    }
    target.timedOut();
  }
}
