package dev.pagi.internal;

import java.util.ArrayDeque;

/**
 * The outbound queue of one WebSocket session: messages, fragments, pings and the Close frame, sent
 * strictly in order with one operation in flight (the Jakarta asynchronous API allows no more).
 *
 * <p>Operations queue from the moment the application accepts; they start once the session is open
 * ({@link #attach}). After a Close is queued nothing else is accepted, so no data frame ever
 * follows our Close. Data bytes count toward {@link FlowControl} from when the exchange accepts
 * them ({@code FlowControl.enqueued}, done by the caller) until the container reports them sent.
 *
 * <p>Whoever finds work and no running pump runs the loop; a completion on the pumping thread (the
 * container may complete a send before returning) only clears {@code writing}, and the loop picks
 * up the next operation, so the loop never recurses. Guarded by {@code this}; container calls and
 * callbacks run with the lock released.
 */
final class WebSocketOutbound {

  /** Told when a send fails; nothing more is sent afterwards. */
  interface Sink {
    void failed(Throwable error);
  }

  private abstract static class Op {
    /** Data bytes this operation carries, for flow control. */
    long bytes() {
      return 0;
    }
  }

  private static final class Message extends Op {
    final String text;
    final byte[] data;
    final boolean fragment;
    final boolean first;
    final boolean last;
    final long size;

    Message(String text, byte[] data, long size, boolean fragment, boolean first, boolean last) {
      this.text = text;
      this.data = data;
      this.size = size;
      this.fragment = fragment;
      this.first = first;
      this.last = last;
    }

    @Override
    long bytes() {
      return size;
    }
  }

  private static final class Ping extends Op {
    final byte[] payload;

    Ping(byte[] payload) {
      this.payload = payload;
    }
  }

  private static final class Close extends Op {
    final int code;
    final String reason;

    Close(int code, String reason) {
      this.code = code;
      this.reason = reason;
    }
  }

  private final FlowControl flow;
  private final Sink sink;
  private final ArrayDeque<Op> queue = new ArrayDeque<>();
  private WebSocketWire wire;
  private boolean pumping;
  private boolean writing;
  private boolean closeQueued;
  private boolean stopped;
  private boolean pingQueued;

  WebSocketOutbound(FlowControl flow, Sink sink) {
    this.flow = flow;
    this.sink = sink;
  }

  /**
   * Queues a whole message or a fragment.
   *
   * @param text the text, or {@code null} for binary
   * @param data the bytes when binary
   * @param size the payload size in bytes (UTF-8 length for text)
   * @return false when dropped: a Close is queued or the session is gone
   */
  synchronized boolean message(
      String text, byte[] data, long size, boolean fragment, boolean first, boolean last) {
    if (closeQueued || stopped) {
      return false;
    }
    queue.add(new Message(text, data, size, fragment, first, last));
    return true;
  }

  /**
   * Queues a Ping unless one is already waiting to be sent.
   *
   * @return whether a Ping is now queued or in flight
   */
  synchronized boolean ping(byte[] payload) {
    if (closeQueued || stopped) {
      return false;
    }
    if (!pingQueued) {
      pingQueued = true;
      queue.add(new Ping(payload));
    }
    return true;
  }

  /**
   * Queues the Close frame behind everything queued so far.
   *
   * @return false when a Close was already queued or the session is gone
   */
  synchronized boolean close(int code, String reason) {
    if (closeQueued || stopped) {
      return false;
    }
    closeQueued = true;
    queue.add(new Close(code, reason));
    return true;
  }

  /** The session is open: start sending. */
  void attach(WebSocketWire wire) {
    synchronized (this) {
      this.wire = wire;
    }
    pump();
  }

  /** Drops everything queued; nothing more is sent. Idempotent. */
  void stop() {
    synchronized (this) {
      stopped = true;
      queue.clear();
    }
  }

  /** Drops the connection (after {@link #stop()}), when the session is open. */
  void abort(int code, String reason) {
    WebSocketWire w;
    synchronized (this) {
      stopped = true;
      queue.clear();
      w = wire;
    }
    if (w != null) {
      w.abort(code, reason);
    }
  }

  /** Sends what is queued, one operation at a time. Never call with a lock held. */
  void pump() {
    synchronized (this) {
      if (pumping) {
        return;
      }
      pumping = true;
    }
    while (true) {
      Op op;
      WebSocketWire w;
      synchronized (this) {
        if (wire == null || writing || stopped || queue.isEmpty()) {
          pumping = false;
          return;
        }
        op = queue.poll();
        if (op instanceof Ping) {
          pingQueued = false;
        }
        writing = true;
        w = wire;
      }
      start(w, op);
    }
  }

  private void start(WebSocketWire w, Op op) {
    WebSocketWire.Done done = failure -> done(op, failure);
    try {
      if (op instanceof Message m) {
        if (m.fragment) {
          w.fragment(m.text, m.data, m.first, m.last, done);
        } else if (m.text != null) {
          w.text(m.text, done);
        } else {
          w.binary(m.data, done);
        }
      } else if (op instanceof Ping p) {
        w.ping(p.payload, done);
      } else {
        Close c = (Close) op;
        w.close(c.code, c.reason, done);
      }
    } catch (RuntimeException e) {
      done(op, e);
    }
  }

  private void done(Op op, Throwable failure) {
    boolean again;
    synchronized (this) {
      writing = false;
      again = !pumping;
    }
    if (op.bytes() > 0) {
      flow.written(op.bytes());
    }
    if (failure != null) {
      stop();
      sink.failed(failure);
      return;
    }
    if (again) {
      pump();
    }
  }
}
