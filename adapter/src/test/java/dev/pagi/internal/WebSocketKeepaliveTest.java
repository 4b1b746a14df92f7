package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WebSocketKeepaliveTest {
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  {
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static final class Target implements WebSocketKeepalive.Target {
    final AtomicInteger pings = new AtomicInteger();
    final CountDownLatch timedOut = new CountDownLatch(1);
    final CountDownLatch pinged = new CountDownLatch(3);
    volatile Runnable onPing = () -> {};
    volatile Phase phase = Phase.OPEN;

    @Override
    public Phase phase() {
      return phase;
    }

    @Override
    public boolean ping() {
      pings.incrementAndGet();
      pinged.countDown();
      onPing.run();
      return true;
    }

    @Override
    public void timedOut() {
      timedOut.countDown();
    }
  }

  @Test
  void noPongTimesOutAndLeavesNoTimer() throws Exception {
    Target target = new Target();
    WebSocketKeepalive k = new WebSocketKeepalive(scheduler, target);
    k.configure(0.02, 0.05);
    assertTrue(target.timedOut.await(5, TimeUnit.SECONDS));
    assertTrue(scheduler.getQueue().isEmpty(), "timers left: " + scheduler.getQueue());
  }

  @Test
  void pongsKeepTheSessionAlive() throws Exception {
    Target target = new Target();
    WebSocketKeepalive k = new WebSocketKeepalive(scheduler, target);
    target.onPing = k::pong;
    k.configure(0.01, 0.05);
    assertTrue(target.pinged.await(5, TimeUnit.SECONDS));
    assertFalse(target.timedOut.await(200, TimeUnit.MILLISECONDS));
    k.stop();
    assertTrue(scheduler.getQueue().isEmpty());
  }

  @Test
  void ticksBeforeTheSessionOpensAreSkippedNotFatal() throws Exception {
    Target target = new Target();
    target.phase = WebSocketKeepalive.Target.Phase.OPENING;
    WebSocketKeepalive k = new WebSocketKeepalive(scheduler, target);
    target.onPing = k::pong;
    k.configure(0.01, 0.05);
    CountDownLatch skipped = new CountDownLatch(1);
    scheduler.schedule(skipped::countDown, 50, TimeUnit.MILLISECONDS);
    assertTrue(skipped.await(5, TimeUnit.SECONDS));
    assertEquals(0, target.pings.get());
    target.phase = WebSocketKeepalive.Target.Phase.OPEN;
    assertTrue(target.pinged.await(5, TimeUnit.SECONDS), "pings start once open");
    k.stop();
  }

  @Test
  void intervalZeroStopsAndLastWins() {
    Target target = new Target();
    WebSocketKeepalive k = new WebSocketKeepalive(scheduler, target);
    k.configure(10, 5);
    assertEquals(1, scheduler.getQueue().size());
    k.configure(20, 0);
    assertEquals(1, scheduler.getQueue().size());
    k.configure(0, 0);
    assertTrue(scheduler.getQueue().isEmpty());
  }
}
