package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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
  /**
   * Gives queued chunks, then end of stream once {@code ended}, the way a container reads an
   * arrived body: ready while a chunk or the end is there to read.
   */
  private static final class Body extends ServletInputStream {
    final Deque<byte[]> chunks = new ArrayDeque<>();
    boolean ended;
    boolean eof;
    ReadListener listener;

    @Override
    public boolean isFinished() {
      return eof;
    }

    @Override
    public boolean isReady() {
      return !chunks.isEmpty() || ended;
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
  private final InputPump pump = declaring(-1);

  @Test
  void theReadBufferIsReleasedOnceTheBodyIsComplete() {
    body.chunks.add("abc".getBytes());
    pump.demand();
    assertEquals(List.of("abc"), got);
    assertTrue(pump.holdsBuffer(), "kept for the next chunk while the body goes on");
    body.ended = true;
    pump.demand();
    assertEquals(List.of("abc", "|last"), got);
    assertFalse(pump.holdsBuffer(), "an exchange that outlives its body keeps no read buffer");
  }

  @Test
  void anEmptyBodyLeavesNoBufferBehind() {
    body.ended = true;
    pump.demand();
    assertArrayEquals(new Object[] {"|last"}, got.toArray());
    assertFalse(pump.holdsBuffer());
  }

  @Test
  void whatHasArrivedFillsOneChunk() {
    body.chunks.add("abc".getBytes());
    body.chunks.add("def".getBytes());
    pump.demand();
    assertEquals(List.of("abcdef"), got);
  }

  @Test
  void withReuseAFullChunkIsTheReadBufferAndAShortOneACopy() {
    List<byte[]> arrays = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    InputPump reusing =
        new InputPump(
            () -> body,
            3,
            true,
            -1,
            new InputPump.Sink() {
              @Override
              public void chunk(byte[] data, boolean last) {
                arrays.add(data);
                seen.add(new String(data) + (last ? "|last" : ""));
              }

              @Override
              public void failed(Throwable error) {
                seen.add("failed " + error);
              }
            });
    body.chunks.add("abc".getBytes());
    reusing.demand();
    body.chunks.add("def".getBytes());
    reusing.demand();
    assertEquals(
        "def", new String(arrays.get(0)), "the next read went into the first chunk's array");
    body.chunks.add("g".getBytes());
    body.ended = true;
    reusing.demand();
    assertEquals(List.of("abc", "def", "g|last"), seen);
    assertSame(arrays.get(0), arrays.get(1), "full chunks share the read buffer");
    assertNotSame(arrays.get(1), arrays.get(2));
  }

  private InputPump declaring(long length) {
    return new InputPump(
        () -> body,
        1024,
        false,
        length,
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
  }

  @Test
  void aBodyEndingShortOfItsDeclaredLengthFailsAfterHandingOverWhatCame() {
    InputPump declared = declaring(10);
    body.chunks.add("abc".getBytes());
    body.ended = true;
    declared.demand();
    assertEquals(
        List.of("abc", "failed java.io.EOFException: Request body ended after 3 of 10 bytes"), got);
    declared.demand();
    assertEquals(2, got.size(), "nothing after the failure");
  }

  @Test
  void anEmptyEndShortOfTheDeclaredLengthFails() {
    InputPump declared = declaring(5);
    body.chunks.add("abc".getBytes());
    declared.demand();
    body.ended = true;
    declared.demand();
    assertEquals(
        List.of("abc", "failed java.io.EOFException: Request body ended after 3 of 5 bytes"), got);
  }

  @Test
  void aBodyOfItsDeclaredLengthEndsNormally() {
    InputPump declared = declaring(6);
    body.chunks.add("abc".getBytes());
    declared.demand();
    body.chunks.add("def".getBytes());
    body.ended = true;
    declared.demand();
    assertEquals(List.of("abc", "def|last"), got);
  }

  @Test
  void anErrorAfterTheLastChunkIsStillReportedOnce() {
    body.chunks.add("abc".getBytes());
    body.ended = true;
    pump.demand();
    pump.onError(new java.io.IOException("stream reset"));
    pump.onError(new java.io.IOException("again"));
    assertEquals(List.of("abc|last", "failed java.io.IOException: stream reset"), got);
  }
}
