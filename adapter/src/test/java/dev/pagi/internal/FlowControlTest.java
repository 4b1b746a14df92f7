package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FlowControlTest {
  private final FlowControl flow = new FlowControl(100, 20);
  private final List<String> events = new ArrayList<>();

  @Test
  void sendUnderTheHighMarkCompletesAtOnce() {
    assertTrue(flow.enqueued(99).toCompletableFuture().isDone());
    assertEquals(99, flow.bufferedAmount());
  }

  @Test
  void sendReachingTheHighMarkWaitsForTheDrainBelowTheLowMark() {
    CompletableFuture<Void> f = flow.enqueued(100).toCompletableFuture();
    assertFalse(f.isDone());
    flow.written(80);
    assertFalse(f.isDone(), "20 left is not below the low mark");
    flow.written(1);
    assertTrue(f.isDone());
  }

  @Test
  void highAndDrainFireOncePerCycleAndReArm() {
    flow.onHighWater(() -> events.add("high"));
    flow.onDrain(() -> events.add("drain"));
    flow.enqueued(150);
    flow.enqueued(50);
    flow.written(190);
    flow.written(5);
    flow.enqueued(200);
    assertEquals(List.of("high", "drain", "high"), events);
  }

  @Test
  void drainCallbacksRunBeforeTheReleasedSendResumes() {
    flow.onHighWater(() -> events.add("high"));
    flow.onDrain(() -> events.add("drain"));
    // The released sender immediately sends again and crosses the mark once more, as an app
    // continuing on the writer's thread does; on_drain must already have run by then.
    flow.enqueued(100).thenRun(() -> flow.enqueued(100));
    flow.written(90);
    assertEquals(List.of("high", "drain", "high"), events);
  }

  @Test
  void highCallbackRegisteredAboveTheMarkRunsImmediately() {
    flow.enqueued(120);
    flow.onHighWater(() -> events.add("high"));
    assertEquals(List.of("high"), events);
  }

  @Test
  void drainCallbackNeverRunsMerelyBecauseTheBufferIsLow() {
    flow.onDrain(() -> events.add("drain"));
    flow.enqueued(10);
    flow.written(10);
    assertEquals(List.of(), events);
  }

  @Test
  void failingCallbackDoesNotStopTheOthers() {
    flow.onHighWater(
        () -> {
          throw new IllegalStateException("boom");
        });
    flow.onHighWater(() -> events.add("second"));
    flow.enqueued(100);
    assertEquals(List.of("second"), events);
  }

  @Test
  void closeResolvesWaitersAndZeroesTheBuffer() {
    CompletableFuture<Void> f = flow.enqueued(500).toCompletableFuture();
    flow.close();
    assertTrue(f.isDone());
    assertFalse(f.isCompletedExceptionally());
    assertEquals(0, flow.bufferedAmount());
    assertTrue(flow.enqueued(1000).toCompletableFuture().isDone());
  }

  @Test
  void bytesTakenBeforeTheyWereAccountedBalanceOut() {
    flow.written(30);
    flow.enqueued(30);
    assertEquals(0, flow.bufferedAmount());
  }
}
