package dev.pagi;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The {@code pagi.connection} scope object of an {@code http} scope: the state of this one request
 * (a fresh object per request, also under keep-alive and per HTTP/2 stream).
 *
 * <p>A request ends exactly one way: cleanly ({@link #onComplete} callbacks run, {@link
 * #disconnectReason()} stays {@code null}) or abnormally ({@link #onDisconnect} callbacks run with
 * a standard reason such as {@code client_closed}, {@code write_error}, {@code server_error},
 * {@code body_too_large}). On an abnormal end the state changes in the spec's order: {@code
 * isConnected} becomes false, the reason is set, {@link #disconnectFuture()} completes, the {@code
 * onDisconnect} callbacks run, then {@code http.disconnect} is queued for {@code receive}.
 *
 * <p>All methods are thread-safe. Callbacks run with no lock held, in registration order; an
 * exception from one is logged and does not stop the others. A callback registered after the end it
 * listens for runs immediately on the registering thread; one registered after the other kind of
 * end never runs.
 */
public interface Connection {

  /**
   * @return true until the request ends, cleanly or not; never true again afterwards
   */
  boolean isConnected();

  /**
   * @return the abnormal-disconnect reason, or {@code null} while connected or after a clean end
   */
  String disconnectReason();

  /**
   * @param callback receives the reason on an abnormal end
   */
  void onDisconnect(Consumer<String> callback);

  /**
   * @param callback runs when the response has been fully delivered
   */
  void onComplete(Runnable callback);

  /**
   * @return a stage completing with the reason on an abnormal end; never completes on a clean end.
   *     The same stage every call.
   */
  CompletionStage<String> disconnectFuture();

  /**
   * @return true once {@code http.response.start} was processed for this request, also when the
   *     server produced it (the 500 backstop)
   */
  boolean responseStarted();

  /**
   * @return true once the final body, file or trailers were sent; never {@code null} here
   */
  Boolean responseComplete();
}
