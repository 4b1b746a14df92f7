package dev.pagi.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publisher for the SSE fan-out scenario: every 100 ms it offers the current time in epoch
 * microseconds to every subscriber; clients compute delivery latency from it.
 */
final class Broadcaster implements AutoCloseable {
  /** A stream that accepts an event, or refuses it when it is too far behind. */
  interface Subscriber {
    boolean offer(String data);
  }

  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong shed = new AtomicLong();
  private final ScheduledExecutorService timer;

  Broadcaster(String name, long periodMillis) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-publisher-" + name);
              t.setDaemon(true);
              return t;
            });
    // Fixed delay: a stalled tick (GC) is not followed by a catch-up burst.
    timer.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  static long epochMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  private void tick() {
    if (subscribers.isEmpty()) {
      return;
    }
    String data = Long.toString(epochMicros());
    for (Subscriber s : subscribers) {
      try {
        if (s.offer(data)) {
          offered.incrementAndGet();
        } else {
          shed.incrementAndGet();
        }
      } catch (RuntimeException e) {
        subscribers.remove(s);
      }
    }
  }

  void add(Subscriber s) {
    subscribers.add(s);
  }

  void remove(Subscriber s) {
    subscribers.remove(s);
  }

  int size() {
    return subscribers.size();
  }

  long offered() {
    return offered.get();
  }

  long shed() {
    return shed.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
