package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InputPumpTest {
  /** Gives queued chunks, then end of stream, the way a container reads an arrived body. */
  private static final class Body extends ServletInputStream {
    final Deque<byte[]> chunks = new ArrayDeque<>();
    boolean eof;
    ReadListener listener;

    @Override
    public boolean isFinished() {
      return eof;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
      listener = readListener;
      try {
        // Data has arrived: the container calls the listener at once.
        readListener.onDataAvailable();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) {
      byte[] c = chunks.poll();
      if (c == null) {
        eof = true;
        return -1;
      }
      System.arraycopy(c, 0, b, off, c.length);
      return c.length;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }
  }

  private final Body body = new Body();
  private final List<String> got = new ArrayList<>();
  private final InputPump pump =
      new InputPump(
          () -> body,
          1024,
          new InputPump.Sink() {
            @Override
            public void chunk(byte[] data, boolean last) {
              got.add(new String(data) + (last ? "|last" : ""));
            }

            @Override
            public void failed(Throwable error) {
              got.add("failed " + error);
            }
          });

  @Test
  void theReadBufferIsReleasedOnceTheBodyIsComplete() {
    body.chunks.add("abc".getBytes());
    pump.demand();
    assertEquals(List.of("abc"), got);
    assertTrue(pump.holdsBuffer(), "kept for the next chunk while the body goes on");
    pump.demand();
    assertEquals(List.of("abc", "|last"), got);
    assertFalse(pump.holdsBuffer(), "an exchange that outlives its body keeps no read buffer");
  }

  @Test
  void anEmptyBodyLeavesNoBufferBehind() {
    pump.demand();
    assertArrayEquals(new Object[] {"|last"}, got.toArray());
    assertFalse(pump.holdsBuffer());
  }
}
