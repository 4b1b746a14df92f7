package dev.pagi.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One publisher for the SSE fan-out scenario: every 100 ms it offers the current time in epoch
 * microseconds to every subscriber; clients compute delivery latency from it. The message is
 * prepared once per tick ({@code prepare}: an event map, a Spring event builder, wire bytes) and
 * the same object goes to every subscriber, as a real broadcaster would do it.
 *
 * @param <T> what a subscriber is offered
 */
final class Broadcaster<T> implements AutoCloseable {
  /** A stream that accepts a message, or refuses it when it is too far behind. */
  interface Subscriber<T> {
    boolean offer(T message);
  }

  private final Set<Subscriber<T>> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong shed = new AtomicLong();
  private final Function<String, T> prepare;
  private final ScheduledExecutorService timer;

  /**
   * @param name names the publisher thread
   * @param periodMillis the delay between ticks
   * @param prepare turns the tick's data (epoch microseconds) into the message every subscriber
   *     gets
   */
  Broadcaster(String name, long periodMillis, Function<String, T> prepare) {
    this.prepare = prepare;
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
    T message = prepare.apply(Long.toString(epochMicros()));
    long ok = 0;
    long skipped = 0;
    for (Subscriber<T> s : subscribers) {
      try {
        if (s.offer(message)) {
          ok++;
        } else {
          skipped++;
        }
      } catch (RuntimeException e) {
        subscribers.remove(s);
      }
    }
    offered.addAndGet(ok);
    shed.addAndGet(skipped);
  }

  void add(Subscriber<T> s) {
    subscribers.add(s);
  }

  void remove(Subscriber<T> s) {
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
