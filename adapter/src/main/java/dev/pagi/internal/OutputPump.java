package dev.pagi.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes queued output through a {@link WriteListener} with one write in flight.
 *
 * <p>Operations (bytes, file ranges, flushes, and the final {@code end}) run strictly in order;
 * {@code end} runs only after every earlier write has been accepted, so the exchange never
 * completes with a write pending. Whoever finds work and no running pump runs the loop (an
 * application thread or a container thread in {@link #onWritePossible()}); a wake-up that arrives
 * while another thread pumps is recorded and re-checked before that thread leaves, so no wake-up is
 * lost and the loop never recurses. Bytes count toward {@link FlowControl} until the container
 * reports ready again after taking them. A flush with another flush queued behind it is skipped, so
 * a backlog (events queued while the client was slow) leaves in one write, not one per event.
 *
 * <p>{@link #stop()} returns only once no other thread is inside a call on the stream, and no call
 * starts after it: the exchange may then release the request to the container. Without that fence a
 * write running on an application thread could still be inside the container while the container
 * recycles the response for the next request (Tomcat then records that write's failure on the
 * recycled response, and the next request on the connection processor fails its first flush).
 */
public final class OutputPump implements WriteListener {
  private static final Logger LOG = Logger.getLogger(OutputPump.class.getName());
  private static final int FILE_CHUNK = 64 * 1024;

  /**
   * The longest {@link #stop()} waits for a call running on another thread. Calls on a stream in
   * non-blocking mode return at once; the bound only keeps a container that blocks anyway from
   * stalling the caller.
   */
  private static final long FENCE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What the pump does once the queue has drained to its {@code end} marker, or fails. */
  public interface Sink {
    /** Every queued operation up to {@code end} was written. */
    void ended();

    /** A write failed; nothing more will be written. */
    void failed(Throwable error);
  }

  private abstract static class Op {}

  private static final class Bytes extends Op {
    final byte[] data;

    Bytes(byte[] data) {
      this.data = data;
    }
  }

  private static final class FileRange extends Op {
    final FileChannel channel;
    long position;
    long remaining;

    FileRange(FileChannel channel, long position, long remaining) {
      this.channel = channel;
      this.position = position;
      this.remaining = remaining;
    }
  }

  private static final class Flush extends Op {}

  private static final class End extends Op {}

  // Stateless markers: one instance each, not an allocation per event.
  private static final Op FLUSH = new Flush();
  private static final Op END = new End();

  private final ServletOutputStream out;
  private final FlowControl flow;
  private final Sink sink;
  // Most responses queue a body and the end marker; the deque grows for streams that need more.
  private final ArrayDeque<Op> queue = new ArrayDeque<>(4);
  private boolean pumping;
  private boolean wakeup;
  private boolean stopped;
  private long inFlight;
  // Flush markers in the queue: a flush with another one behind it is skipped.
  private int flushes;
  private Thread caller;

  /**
   * The response pump every exchange uses, installed as the response's write listener.
   *
   * @param resp the response
   * @param flow its flow control
   * @param ended runs once the final write drained and the response completed
   * @param failed receives a write failure
   * @return the installed pump
   * @throws IOException when the container cannot give the stream
   */
  public static OutputPump install(
      jakarta.servlet.http.HttpServletResponse resp,
      FlowControl flow,
      Runnable ended,
      java.util.function.Consumer<Throwable> failed)
      throws IOException {
    return install(
        resp,
        flow,
        new Sink() {
          @Override
          public void ended() {
            ended.run();
          }

          @Override
          public void failed(Throwable error) {
            failed.accept(error);
          }
        });
  }

  /**
   * The response pump, installed as the response's write listener, reporting to {@code sink}.
   *
   * @param resp the response
   * @param flow its flow control
   * @param sink told about the end or a failure
   * @return the installed pump
   * @throws IOException when the container cannot give the stream
   */
  public static OutputPump install(
      jakarta.servlet.http.HttpServletResponse resp, FlowControl flow, Sink sink)
      throws IOException {
    ServletOutputStream out = resp.getOutputStream();
    OutputPump pump = new OutputPump(out, flow, sink);
    out.setWriteListener(pump);
    return pump;
  }

  /**
   * @param out the response stream; the caller sets this pump as its write listener
   * @param flow counts queued bytes
   * @param sink told about the end or a failure
   */
  public OutputPump(ServletOutputStream out, FlowControl flow, Sink sink) {
    this.out = out;
    this.flow = flow;
    this.sink = sink;
  }

  /**
   * Queues bytes. The caller accounts them in {@link FlowControl} and then calls {@link #pump()},
   * both after releasing its own lock.
   *
   * @return false when the pump has stopped and the bytes were dropped
   */
  public boolean write(byte[] data) {
    return data.length == 0 || add(new Bytes(data));
  }

  /**
   * Queues a file range; the channel is closed when sent, dropped or failed.
   *
   * @return false when the pump has stopped and the range was dropped
   */
  public boolean file(FileChannel channel, long position, long length) {
    if (!add(new FileRange(channel, position, length))) {
      closeQuietly(channel);
      return false;
    }
    return true;
  }

  /** Queues a flush. */
  public void flush() {
    add(FLUSH);
  }

  /** Queues the end marker; {@link Sink#ended()} runs once everything before it is written. */
  public void end() {
    add(END);
  }

  /**
   * Drops queued output (abnormal end); the pump does nothing more. Returns once no other thread is
   * inside a call on the stream (waiting a bounded time), so the caller may then complete the
   * request or return from a container callback. Never call with a lock held.
   */
  public void stop() {
    ArrayDeque<Op> dropped;
    synchronized (this) {
      stopped = true;
      dropped = new ArrayDeque<>(queue);
      queue.clear();
      flushes = 0;
      awaitNoCaller();
    }
    for (Op op : dropped) {
      if (op instanceof FileRange f) {
        closeQuietly(f.channel);
      }
    }
  }

  private void awaitNoCaller() {
    long deadline = System.nanoTime() + FENCE_NANOS;
    boolean interrupted = false;
    while (caller != null && caller != Thread.currentThread()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.log(Level.FINE, "a write on {0} did not return in time", caller.getName());
        break;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Marks this thread as inside a call on the stream, unless the pump has stopped. */
  private synchronized boolean enter() {
    if (stopped) {
      return false;
    }
    caller = Thread.currentThread();
    return true;
  }

  private synchronized void leave() {
    caller = null;
    notifyAll();
  }

  private synchronized boolean add(Op op) {
    if (stopped) {
      return false;
    }
    queue.add(op);
    if (op == FLUSH) {
      flushes++;
    }
    return true;
  }

  @Override
  public void onWritePossible() {
    pump();
  }

  @Override
  public void onError(Throwable t) {
    fail(t);
  }

  /** Writes what is queued, as far as the container accepts it now. Never call with a lock held. */
  public void pump() {
    synchronized (this) {
      if (pumping) {
        wakeup = true;
        return;
      }
      pumping = true;
    }
    try {
      loop();
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void loop() throws IOException {
    while (true) {
      Op op;
      synchronized (this) {
        wakeup = false;
        op = stopped ? null : queue.peek();
        if (op == null && (inFlight == 0 || stopped)) {
          pumping = false;
          return;
        }
        caller = Thread.currentThread();
      }
      boolean ready;
      try {
        ready = out.isReady();
      } finally {
        leave();
      }
      if (!ready) {
        synchronized (this) {
          if (!wakeup) {
            pumping = false;
            return;
          }
        }
        continue;
      }
      credit();
      if (op == null) {
        continue;
      }
      if (op instanceof End) {
        pop();
        synchronized (this) {
          stopped = true;
          pumping = false;
        }
        sink.ended();
        return;
      }
      if (!enter()) {
        continue;
      }
      try {
        if (op instanceof Bytes b) {
          out.write(b.data);
          inFlight = b.data.length;
          pop();
        } else if (op instanceof FileRange f) {
          writeFileChunk(f);
        } else if (!pop()) {
          // A flush with another one queued behind it is skipped: the later flush sends these
          // bytes too, so a backlog of events leaves in one network write instead of one per
          // event. The last flush always runs (an abort after the end drops what was never
          // flushed).
          out.flush();
        }
      } finally {
        leave();
      }
    }
  }

  private void writeFileChunk(FileRange f) throws IOException {
    int n = (int) Math.min(FILE_CHUNK, f.remaining);
    ByteBuffer buf = ByteBuffer.allocate(n);
    int read = n == 0 ? -1 : f.channel.read(buf, f.position);
    if (read <= 0) {
      // Past the end of the file (or an empty range): send nothing more of it. Credited like a
      // write, once this call on the stream is over.
      inFlight = f.remaining;
      closeQuietly(f.channel);
      pop();
      return;
    }
    f.position += read;
    f.remaining -= read;
    out.write(buf.array(), 0, read);
    inFlight = read;
    if (f.remaining == 0) {
      closeQuietly(f.channel);
      pop();
    }
  }

  private void credit() {
    if (inFlight > 0) {
      long n = inFlight;
      inFlight = 0;
      flow.written(n);
    }
  }

  /**
   * Removes the head of the queue.
   *
   * @return whether another flush is still queued behind a removed flush
   */
  private synchronized boolean pop() {
    if (queue.poll() == FLUSH) {
      flushes--;
      return flushes > 0;
    }
    return false;
  }

  private void fail(Throwable t) {
    synchronized (this) {
      if (stopped && queue.isEmpty() && !pumping) {
        return;
      }
      pumping = false;
    }
    stop();
    sink.failed(t);
  }

  private static void closeQuietly(FileChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Nothing useful to do: the range was either sent or the exchange is failing anyway.
    }
  }
}
