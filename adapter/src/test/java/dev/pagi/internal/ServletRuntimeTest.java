package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.servlet.PagiConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ServletRuntimeTest {
  private final ServletRuntime rt =
      new ServletRuntime(
          (scope, receive, send) -> CompletableFuture.completedFuture(null),
          PagiConfig.defaults(),
          new ContainerSupports.Portable());
  private final List<String> shutdowns = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    rt.stop();
  }

  @Test
  void shutdownWaitsForARequestStillInServiceAndThenEndsWhatItRegistered() throws Exception {
    rt.enterService();
    CountDownLatch done = new CountDownLatch(1);
    Thread stopper =
        new Thread(
            () -> {
              rt.shutdownLive(Duration.ofSeconds(5));
              done.countDown();
            });
    stopper.start();
    assertFalse(done.await(200, TimeUnit.MILLISECONDS), "returned while a request was in service");
    assertTrue(rt.stopping());
    rt.register(() -> shutdowns.add("late"));
    rt.exitService();
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("late"), shutdowns);
  }

  @Test
  void shutdownWaitsNoLongerThanItsBound() {
    rt.enterService();
    rt.register(() -> shutdowns.add("live"));
    rt.shutdownLive(Duration.ofMillis(50));
    assertEquals(List.of("live"), shutdowns);
  }
}
