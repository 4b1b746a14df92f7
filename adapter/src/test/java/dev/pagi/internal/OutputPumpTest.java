package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.util.ArrayList;
import java.util.List;
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
}
