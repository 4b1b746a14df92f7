package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OutputPumpTest {
  /** Records writes and flushes; not ready while {@code blocked}, like a slow client. */
  private static final class Recorder extends ServletOutputStream {
    final List<String> calls = new ArrayList<>();
    boolean blocked;

    @Override
    public boolean isReady() {
      return !blocked;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {}

    @Override
    public void write(int b) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void write(byte[] b, int off, int len) {
      calls.add(new String(b, off, len));
    }

    @Override
    public void flush() {
      calls.add("flush");
    }
  }

  private final Recorder out = new Recorder();
  private final List<String> sink = new ArrayList<>();
  private final OutputPump pump =
      new OutputPump(
          out,
          new FlowControl(1 << 16, 1 << 14),
          new OutputPump.Sink() {
            @Override
            public void ended() {
              sink.add("ended");
            }

            @Override
            public void failed(Throwable error) {
              sink.add("failed " + error);
            }
          });

  private void event(String data) {
    pump.write(data.getBytes());
    pump.flush();
  }

  @Test
  void everyEventIsFlushedWhenTheClientKeepsUp() {
    event("a");
    pump.pump();
    event("b");
    pump.pump();
    assertEquals(List.of("a", "flush", "b", "flush"), out.calls);
  }

  @Test
  void aBacklogLeavesInOneFlush() {
    out.blocked = true;
    event("a");
    event("b");
    event("c");
    pump.pump();
    assertEquals(List.of(), out.calls);
    out.blocked = false;
    pump.onWritePossible();
    assertEquals(List.of("a", "b", "c", "flush"), out.calls);
  }

  @Test
  void theLastFlushBeforeTheEndStillRuns() {
    out.blocked = true;
    event("a");
    event("b");
    pump.end();
    out.blocked = false;
    pump.onWritePossible();
    assertEquals(List.of("a", "b", "flush"), out.calls);
    assertEquals(List.of("ended"), sink);
  }

  /** A stream whose writes can be held inside the container call, recording every call. */
  private static final class HeldStream extends ServletOutputStream {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch inWrite = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile Runnable duringWrite = () -> {};

    @Override
    public boolean isReady() {
      calls.add("isReady");
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {}

    @Override
    public void write(int b) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void write(byte[] b) {
      calls.add("write " + b.length);
      duringWrite.run();
      inWrite.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void flush() {
      calls.add("flush");
    }
  }

  private static final OutputPump.Sink IGNORE =
      new OutputPump.Sink() {
        @Override
        public void ended() {}

        @Override
        public void failed(Throwable error) {}
      };

  @Test
  void stopWaitsForAWriteRunningOnAnotherThreadAndNothingIsCalledAfterIt() throws Exception {
    HeldStream out = new HeldStream();
    OutputPump pump = new OutputPump(out, new FlowControl(1 << 20, 1 << 10), IGNORE);
    pump.write(new byte[3]);
    pump.flush();
    pump.write(new byte[4]);
    Thread writer = new Thread(pump::pump, "writer");
    writer.start();
    assertTrue(out.inWrite.await(5, TimeUnit.SECONDS));

    CountDownLatch stopped = new CountDownLatch(1);
    Thread stopper =
        new Thread(
            () -> {
              pump.stop();
              stopped.countDown();
            },
            "stopper");
    stopper.start();
    assertFalse(stopped.await(300, TimeUnit.MILLISECONDS), "stop returned during the write");

    out.release.countDown();
    assertTrue(stopped.await(5, TimeUnit.SECONDS));
    writer.join(5000);
    assertEquals(
        List.of("isReady", "write 3"), out.calls, "nothing after the write stop waited for");
  }

  @Test
  void stopFromInsideTheWriteDoesNotWaitForItself() throws Exception {
    HeldStream out = new HeldStream();
    out.release.countDown();
    OutputPump pump = new OutputPump(out, new FlowControl(1 << 20, 1 << 10), IGNORE);
    out.duringWrite = pump::stop;
    pump.write(new byte[2]);
    pump.write(new byte[5]);
    pump.pump();
    assertEquals(List.of("isReady", "write 2"), out.calls);
  }

  @Test
  void endRunsAfterEveryWriteAndStopsThePump() {
    HeldStream out = new HeldStream();
    out.release.countDown();
    List<String> sinkEvents = new CopyOnWriteArrayList<>();
    OutputPump pump =
        new OutputPump(
            out,
            new FlowControl(1 << 20, 1 << 10),
            new OutputPump.Sink() {
              @Override
              public void ended() {
                sinkEvents.add("ended after " + out.calls);
              }

              @Override
              public void failed(Throwable error) {
                sinkEvents.add("failed");
              }
            });
    pump.write(new byte[1]);
    pump.end();
    pump.pump();
    assertEquals(List.of("ended after [isReady, write 1, isReady]"), sinkEvents);
    assertFalse(pump.write(new byte[1]), "writes after the end are dropped");
  }
}
