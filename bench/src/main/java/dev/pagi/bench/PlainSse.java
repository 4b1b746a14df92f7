package dev.pagi.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The SSE baseline, mounted at {@code /plain/sse}: a hand-written async servlet that holds a {@code
 * text/event-stream} response open and writes the publisher's pre-encoded events with a {@link
 * WriteListener}. It is the least a stream can cost on this container, so the report can split the
 * adapter's retained heap and CPU into the container's share and the adapter's own.
 *
 * <p>Per stream: the async context, the output stream, one pending event. An event offered while
 * the previous one is still being written is skipped (counted as shed), so a slow client costs
 * nothing but that one pending event.
 */
final class PlainSse extends HttpServlet {
  private final Broadcaster<byte[]> broadcaster;

  PlainSse(Broadcaster<byte[]> broadcaster) {
    this.broadcaster = broadcaster;
  }

  /** The wire form of a data-only event, built once per tick. */
  static byte[] encode(String data) {
    return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/event-stream");
    resp.setHeader("Cache-Control", "no-cache");
    AsyncContext async = req.startAsync();
    async.setTimeout(0);
    Stream stream = new Stream(async, resp.getOutputStream(), broadcaster);
    async.addListener(stream);
    // The first onWritePossible commits the headers; the stream subscribes then.
    stream.out.setWriteListener(stream);
  }

  private static final class Stream
      implements WriteListener, AsyncListener, Broadcaster.Subscriber<byte[]> {
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Broadcaster<byte[]> broadcaster;
    private byte[] next;
    private boolean started;
    private boolean unflushed;
    private boolean writing;
    private boolean again;
    private boolean closed;

    Stream(AsyncContext async, ServletOutputStream out, Broadcaster<byte[]> broadcaster) {
      this.async = async;
      this.out = out;
      this.broadcaster = broadcaster;
    }

    @Override
    public boolean offer(byte[] event) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("closed");
        }
        if (next != null || unflushed) {
          return false;
        }
        next = event;
      }
      drain();
      return true;
    }

    @Override
    public void onWritePossible() {
      drain();
    }

    /** One writer at a time; a wake-up that comes while another thread writes is not lost. */
    private void drain() {
      synchronized (this) {
        if (writing) {
          again = true;
          return;
        }
        writing = true;
      }
      try {
        while (true) {
          byte[] b;
          synchronized (this) {
            again = false;
            b = next;
            if (started && b == null && !unflushed) {
              writing = false;
              return;
            }
          }
          if (!out.isReady()) {
            synchronized (this) {
              if (!again) {
                writing = false;
                return;
              }
            }
            continue;
          }
          if (!started) {
            started = true;
            out.flush();
            broadcaster.add(this);
          } else if (b == null) {
            synchronized (this) {
              unflushed = false;
            }
            out.flush();
          } else {
            synchronized (this) {
              next = null;
              unflushed = true;
            }
            out.write(b);
          }
        }
      } catch (IOException | RuntimeException e) {
        end();
      }
    }

    private void end() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        writing = false;
      }
      broadcaster.remove(this);
      try {
        async.complete();
      } catch (IllegalStateException ignored) {
        // already completed
      }
    }

    @Override
    public void onError(Throwable t) {
      end();
    }

    @Override
    public void onComplete(AsyncEvent event) {
      end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      end();
    }

    @Override
    public void onError(AsyncEvent event) {
      end();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
