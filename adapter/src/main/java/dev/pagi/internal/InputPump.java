package dev.pagi.internal;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads the request body through a {@link ReadListener}, one chunk per demand.
 *
 * <p>Nothing is read until the application asks ({@link #demand()}), so a slow application leaves
 * the bytes in the network buffers and the client is pushed back by TCP or HTTP/2 flow control. The
 * stream is obtained and the read listener installed on the first demand, so containers send {@code
 * 100 Continue} only once the application reads (Jetty sends it from {@code getInputStream()}). The
 * same hand-off as {@link OutputPump} keeps one reader at a time without losing a wake-up.
 *
 * <p>A body that ends before its declared length is a client that went away, whatever the container
 * says: Tomcat over HTTP/2 may report the end of a body whose stream was reset as a normal end,
 * which would hand the application a truncated body as complete.
 */
public final class InputPump implements ReadListener {

  /** Where the request stream comes from, asked once, on the first demand. */
  @FunctionalInterface
  public interface Source {
    /**
     * @return the request's input stream
     * @throws IOException when the container cannot give it
     */
    ServletInputStream open() throws IOException;
  }

  /** Receives what the pump read. */
  public interface Sink {
    /** A chunk; {@code last} when the body is complete. Called once per demand. */
    void chunk(byte[] data, boolean last);

    /** Reading failed (client gone, bad framing), at most once, possibly after the last chunk. */
    void failed(Throwable error);
  }

  private static final byte[] NO_BYTES = new byte[0];

  private final Source source;
  private volatile ServletInputStream in;
  private final int chunkSize;
  private final boolean reuse;
  private final long declaredLength;
  private final Sink sink;
  private long received;
  // Allocated on the first read: most requests (every HTTP/2 GET, whose length is unknown up
  // front) never read a byte. Only the single reader (see 'reading') touches it.
  private byte[] buffer;
  private boolean listening;
  private boolean demanded;
  private boolean reading;
  private boolean wakeup;
  private boolean done;
  private boolean failed;

  /**
   * @param source gives the request stream on the first demand
   * @param chunkSize the largest chunk per event
   * @param sink receives chunks
   */
  public InputPump(Source source, int chunkSize, Sink sink) {
    this(source, chunkSize, false, -1, sink);
  }

  /**
   * @param source gives the request stream on the first demand
   * @param chunkSize the largest chunk per event
   * @param reuse whether a full chunk is handed over in the read buffer itself, which the next read
   *     (after the next demand) overwrites
   * @param declaredLength the body's length as the request declares it, or -1 when unknown; a body
   *     ending short of it fails the pump with an {@link EOFException}
   * @param sink receives chunks
   */
  public InputPump(Source source, int chunkSize, boolean reuse, long declaredLength, Sink sink) {
    this.source = source;
    this.chunkSize = chunkSize;
    this.reuse = reuse;
    this.declaredLength = declaredLength;
    this.sink = sink;
  }

  /**
   * The request-body pump every exchange uses: the stream is taken from {@code req} on the first
   * demand.
   *
   * @param req the request
   * @param chunkSize the largest chunk per event
   * @param chunk receives each chunk and whether it is the last
   * @param failed receives a read failure
   * @return the pump
   */
  public static InputPump forRequest(
      jakarta.servlet.http.HttpServletRequest req,
      int chunkSize,
      java.util.function.BiConsumer<byte[], Boolean> chunk,
      java.util.function.Consumer<Throwable> failed) {
    return forRequest(req, chunkSize, false, chunk, failed);
  }

  /**
   * As {@link #forRequest(jakarta.servlet.http.HttpServletRequest, int,
   * java.util.function.BiConsumer, java.util.function.Consumer)}, optionally handing full chunks
   * over in the read buffer itself.
   *
   * @param req the request
   * @param chunkSize the largest chunk per event
   * @param reuse whether a full chunk may be the read buffer, overwritten after the next demand
   * @param chunk receives each chunk and whether it is the last
   * @param failed receives a read failure
   * @return the pump
   */
  public static InputPump forRequest(
      jakarta.servlet.http.HttpServletRequest req,
      int chunkSize,
      boolean reuse,
      java.util.function.BiConsumer<byte[], Boolean> chunk,
      java.util.function.Consumer<Throwable> failed) {
    // A container or filter that decodes a Content-Encoding changes the length the app reads.
    long declared = req.getHeader("Content-Encoding") == null ? req.getContentLengthLong() : -1;
    return new InputPump(
        req::getInputStream,
        chunkSize,
        reuse,
        declared,
        new Sink() {
          @Override
          public void chunk(byte[] data, boolean last) {
            chunk.accept(data, last);
          }

          @Override
          public void failed(Throwable error) {
            failed.accept(error);
          }
        });
  }

  /** Asks for the next chunk. */
  public void demand() {
    boolean install;
    synchronized (this) {
      if (done || demanded) {
        return;
      }
      demanded = true;
      install = !listening;
      listening = true;
    }
    if (install) {
      try {
        in = source.open();
        in.setReadListener(this);
      } catch (IOException | RuntimeException e) {
        fail(e);
      }
      return;
    }
    read();
  }

  @Override
  public void onDataAvailable() {
    read();
  }

  @Override
  public void onAllDataRead() {
    read();
  }

  @Override
  public void onError(Throwable t) {
    fail(t);
  }

  private void read() {
    synchronized (this) {
      if (reading) {
        wakeup = true;
        return;
      }
      reading = true;
    }
    try {
      loop();
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        reading = false;
      }
      fail(e);
    }
  }

  private void loop() throws IOException {
    while (true) {
      synchronized (this) {
        wakeup = false;
        if (!demanded || done) {
          reading = false;
          return;
        }
      }
      if (in.isFinished()) {
        deliver(NO_BYTES, true);
        continue;
      }
      if (!in.isReady()) {
        synchronized (this) {
          if (!wakeup) {
            reading = false;
            return;
          }
        }
        continue;
      }
      if (buffer == null) {
        buffer = new byte[chunkSize];
      }
      int n = in.read(buffer);
      if (n < 0) {
        deliver(NO_BYTES, true);
      } else if (n > 0) {
        // Take what else is already here, up to a whole chunk: fewer, fuller events.
        boolean eof = false;
        while (n < buffer.length && !in.isFinished() && in.isReady()) {
          int m = in.read(buffer, n, buffer.length - n);
          if (m < 0) {
            eof = true;
            break;
          }
          if (m == 0) {
            break;
          }
          n += m;
        }
        // A reused buffer is read into again only on the next demand, that is after the
        // application's next receive(), which is as long as the contract says the body is valid.
        byte[] data = reuse && n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
        deliver(data, eof || in.isFinished());
      }
    }
  }

  private void deliver(byte[] data, boolean last) {
    received += data.length;
    if (last && declaredLength >= 0 && received < declaredLength) {
      EOFException early =
          new EOFException(
              "Request body ended after " + received + " of " + declaredLength + " bytes");
      if (data.length > 0) {
        synchronized (this) {
          demanded = false;
        }
        sink.chunk(data, false);
      }
      fail(early);
      return;
    }
    synchronized (this) {
      demanded = false;
      if (last) {
        done = true;
        // Called by the single reader: a long-lived exchange (an SSE stream) keeps no buffer.
        buffer = null;
      }
    }
    sink.chunk(data, last);
  }

  /** Whether the pump holds a read buffer (for tests). */
  synchronized boolean holdsBuffer() {
    return buffer != null;
  }

  /**
   * Reports a failure once, even after the last chunk: Tomcat over HTTP/2 reports a reset stream's
   * body as ended and then calls {@link #onError}, the only sign that the client went away.
   */
  private void fail(Throwable t) {
    synchronized (this) {
      if (failed) {
        return;
      }
      failed = true;
      done = true;
    }
    sink.failed(t);
  }
}
