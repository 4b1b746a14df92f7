package dev.pagi.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * In-JVM WebSocket echo load: {@code n} connections, each sending one text message, waiting for its
 * echo, and sending the next (closed loop), for a fixed duration.
 */
public final class WsLoad {
  private WsLoad() {}

  /** Messages/s, p50 and p99 round trip in ms; NaN when the endpoint cannot be reached. */
  static double[] run(URI uri, int connections, long seconds) throws Exception {
    WebSocketClient client = new WebSocketClient();
    client.start();
    long[] samples = new long[5_000_000];
    AtomicInteger count = new AtomicInteger();
    AtomicLong messages = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Session> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        EchoListener listener = new EchoListener(samples, count, messages, end);
        Session s = client.connect(listener, uri).get(10, TimeUnit.SECONDS);
        sessions.add(s);
      }
      long start = System.nanoTime();
      messages.set(0);
      count.set(0);
      for (Session s : sessions) {
        s.sendText(Long.toString(System.nanoTime()), Callback.NOOP);
      }
      long left;
      while ((left = end - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      int n = Math.min(count.get(), samples.length);
      return new double[] {
        messages.get() / elapsed,
        Stats.percentile(samples, n, 50) / 1e6,
        Stats.percentile(samples, n, 99) / 1e6
      };
    } catch (Exception e) {
      System.err.println("websocket load against " + uri + " failed: " + e);
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    } finally {
      for (Session s : sessions) {
        s.close();
      }
      client.stop();
    }
  }

  /** Records each echo's round trip and sends the next message (public: Jetty invokes it). */
  public static final class EchoListener extends Session.Listener.AbstractAutoDemanding {
    private final long[] samples;
    private final AtomicInteger count;
    private final AtomicLong messages;
    private final long end;

    EchoListener(long[] samples, AtomicInteger count, AtomicLong messages, long end) {
      this.samples = samples;
      this.count = count;
      this.messages = messages;
      this.end = end;
    }

    @Override
    public void onWebSocketText(String message) {
      long now = System.nanoTime();
      long sent = Long.parseLong(message);
      messages.incrementAndGet();
      int k = count.getAndIncrement();
      if (k < samples.length) {
        samples[k] = now - sent;
      }
      if (now < end) {
        getSession().sendText(Long.toString(System.nanoTime()), Callback.NOOP);
      }
    }
  }
}
