package dev.pagi;

/**
 * The {@code pagi.transport} scope object: outbound flow control for an http response, an SSE
 * stream or a WebSocket session.
 *
 * <p>{@link #bufferedAmount()} counts the bytes handed to {@code send} but not yet written to the
 * network. A send that takes the buffer to or above {@link #highWaterMark()} completes only after
 * it drains below {@link #lowWaterMark()}. The callbacks form a hysteresis cycle: {@code
 * onHighWater} fires once when the buffer reaches the high mark, then {@code onDrain} fires once
 * when it falls below the low mark, then the cycle re-arms.
 *
 * <p>All methods are thread-safe and non-blocking. Callbacks run on the thread that changed the
 * buffer (a container I/O thread or the application's sending thread), in registration order, with
 * no lock held; an exception from one callback is logged and does not stop the others.
 */
public interface Transport {

  /**
   * @return bytes queued but not yet written; 0 when drained or after the connection is gone
   */
  long bufferedAmount();

  /**
   * @return the high-water mark in bytes, or {@code null} when there is none
   */
  Long highWaterMark();

  /**
   * @return the low-water mark in bytes, or {@code null} when there is none
   */
  Long lowWaterMark();

  /**
   * Registers a callback for the buffer reaching the high-water mark. Runs immediately when the
   * buffer is already at or above it.
   *
   * @param callback run once per upward crossing
   */
  void onHighWater(Runnable callback);

  /**
   * Registers a callback for the buffer falling below the low-water mark after a high crossing.
   * Never runs merely because the buffer is low at registration.
   *
   * @param callback run once per downward crossing
   */
  void onDrain(Runnable callback);
}
