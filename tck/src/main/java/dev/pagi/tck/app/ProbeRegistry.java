package dev.pagi.tck.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The P-SIDE side channel: a process-wide log of observations keyed by a test id. The TCK app
 * appends what it saw (events received, raises, callback firings); the suite reads them back over a
 * fresh connection with {@code GET /__tck/probe/<id>?wait=<seconds>&count=<n>}.
 */
public final class ProbeRegistry {
  private static final AtomicLong SEQ = new AtomicLong();
  private static final Map<String, List<Map<String, Object>>> LOG = new ConcurrentHashMap<>();
  private static final Map<String, CompletableFuture<Void>> GATES = new ConcurrentHashMap<>();

  private ProbeRegistry() {}

  /**
   * Appends one observation.
   *
   * @param id the test id ({@code x-tck-id} header or {@code tck} query parameter)
   * @param what a short name of what happened, e.g. {@code on_complete}
   * @param detail extra fields, may be empty
   */
  public static void record(String id, String what, Map<String, Object> detail) {
    if (id == null) {
      return;
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("seq", SEQ.incrementAndGet());
    entry.put("what", what);
    entry.put("nanos", System.nanoTime());
    entry.put("thread", Thread.currentThread().getName());
    entry.putAll(detail);
    List<Map<String, Object>> list = LOG.computeIfAbsent(id, k -> new ArrayList<>());
    synchronized (list) {
      list.add(entry);
      list.notifyAll();
    }
  }

  /**
   * Appends one observation without details.
   *
   * @param id the test id
   * @param what a short name of what happened
   */
  public static void record(String id, String what) {
    record(id, what, Map.of());
  }

  /**
   * Waits (bounded) until at least {@code count} observations exist for {@code id}. Blocking: the
   * probe endpoint calls it off the container threads.
   *
   * @param id the test id
   * @param count how many observations to wait for
   * @param waitMillis the longest wait
   * @return a copy of the observations so far
   * @throws InterruptedException when interrupted
   */
  public static List<Map<String, Object>> await(String id, int count, long waitMillis)
      throws InterruptedException {
    return await(id, null, count, waitMillis);
  }

  /**
   * Waits (bounded) until at least {@code count} observations named {@code what} (any name when
   * {@code null}) exist for {@code id}.
   *
   * @param id the test id
   * @param what the observation name to count, or {@code null}
   * @param count how many observations to wait for
   * @param waitMillis the longest wait
   * @return a copy of all observations so far
   * @throws InterruptedException when interrupted
   */
  public static List<Map<String, Object>> await(String id, String what, int count, long waitMillis)
      throws InterruptedException {
    List<Map<String, Object>> list = LOG.computeIfAbsent(id, k -> new ArrayList<>());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    synchronized (list) {
      long left;
      while (count(list, what) < count && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(list, left);
      }
      return new ArrayList<>(list);
    }
  }

  private static int count(List<Map<String, Object>> list, String what) {
    if (what == null) {
      return list.size();
    }
    int n = 0;
    for (Map<String, Object> e : list) {
      n += what.equals(e.get("what")) ? 1 : 0;
    }
    return n;
  }

  /**
   * A gate an app waits on until the suite opens it with {@code GET /__tck/release/<id>} — the
   * latch behind "the client has read X before the app may go on".
   *
   * @param id the gate id
   * @return a stage completing when the gate opens (already complete if it was opened first)
   */
  public static CompletableFuture<Void> gate(String id) {
    return GATES.computeIfAbsent(id, k -> new CompletableFuture<>());
  }

  /**
   * Opens a gate (creating it open if no app waits yet).
   *
   * @param id the gate id
   */
  public static void release(String id) {
    gate(id).complete(null);
  }
}
