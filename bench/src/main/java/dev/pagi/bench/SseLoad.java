package dev.pagi.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * In-JVM SSE clients: opens {@code n} streams (HTTP/1.1: one connection each; h2c: multiplexed on a
 * few connections), records the delivery latency of every {@code data:} line carrying the
 * publisher's epoch-microsecond stamp.
 */
final class SseLoad implements AutoCloseable {
  private final HttpClient client;
  private final List<Request> requests = new ArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final long[] samples;
  private final AtomicInteger sampleCount = new AtomicInteger();
  private final AtomicLong delivered = new AtomicLong();
  private volatile boolean recording;

  SseLoad(boolean h2, int streams, int maxSamples) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(16);
    pool.setName("sse-client");
    if (h2) {
      HTTP2Client h2Client = new HTTP2Client();
      h2Client.setMaxConcurrentPushedStreams(0);
      client = new HttpClient(new HttpClientTransportOverHTTP2(h2Client));
      // Spread the streams over a handful of connections.
      client.setMaxConnectionsPerDestination(Math.max(1, streams / 2000 + 1));
    } else {
      client = new HttpClient();
      client.setMaxConnectionsPerDestination(streams + 10);
    }
    client.setExecutor(pool);
    client.setMaxRequestsQueuedPerDestination(streams + 10);
    client.setIdleTimeout(0);
    client.start();
    samples = new long[maxSamples];
  }

  /** Opens the streams and waits until all respond, or the deadline passes. */
  void open(URI uri, int n, long timeoutSeconds) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      StringBuilder partial = new StringBuilder();
      boolean[] counted = {false};
      Request r =
          client
              .newRequest(uri)
              .headers(h -> h.put("Accept", "text/event-stream"))
              .idleTimeout(0, TimeUnit.SECONDS)
              .timeout(0, TimeUnit.SECONDS)
              .onResponseBegin(
                  resp -> {
                    if (resp.getStatus() == 200) {
                      open.incrementAndGet();
                    }
                    counted[0] = true;
                    started.countDown();
                  })
              .onResponseContent((resp, buf) -> onContent(partial, buf));
      synchronized (requests) {
        requests.add(r);
      }
      r.send(
          result -> {
            if (result.isFailed() && !counted[0]) {
              failed.incrementAndGet();
              started.countDown();
            }
          });
    }
    started.await(timeoutSeconds, TimeUnit.SECONDS);
  }

  private void onContent(StringBuilder partial, ByteBuffer buf) {
    long now = Broadcaster.epochMicros();
    synchronized (partial) {
      partial.append(StandardCharsets.UTF_8.decode(buf));
      int nl;
      while ((nl = partial.indexOf("\n")) >= 0) {
        String line = partial.substring(0, nl);
        partial.delete(0, nl + 1);
        if (line.startsWith("data:")) {
          String v = line.substring(5).trim();
          if (recording && !v.isEmpty()) {
            delivered.incrementAndGet();
            int i = sampleCount.getAndIncrement();
            if (i < samples.length) {
              samples[i] = now - Long.parseLong(v);
            }
          }
        }
      }
    }
  }

  void record(boolean on) {
    recording = on;
  }

  int opened() {
    return open.get();
  }

  int failures() {
    return failed.get();
  }

  long delivered() {
    return delivered.get();
  }

  /** Latency percentile in milliseconds. */
  double latencyMillis(double p) {
    int n = Math.min(sampleCount.get(), samples.length);
    return Stats.percentile(samples, n, p) / 1000.0;
  }

  @Override
  public void close() throws Exception {
    synchronized (requests) {
      for (Request r : requests) {
        r.abort(new java.io.IOException("bench done"));
      }
    }
    client.stop();
  }
}
