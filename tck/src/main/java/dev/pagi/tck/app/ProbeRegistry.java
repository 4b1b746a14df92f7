package dev.pagi.tck.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    List<Map<String, Object>> list = LOG.computeIfAbsent(id, k -> new ArrayList<>());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    synchronized (list) {
      long left;
      while (list.size() < count && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(list, left);
      }
      return new ArrayList<>(list);
    }
  }
}
