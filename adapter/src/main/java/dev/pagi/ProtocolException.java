package dev.pagi;

/**
 * Misuse of the PAGI protocol: an invalid event, an event out of order, or an unsafe value that
 * must not reach the wire. Messages say what was expected and what came, e.g. {@code Expected
 * 'http.response.start' but got 'http.response.body'}.
 */
public class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was expected and what came
   */
  public ProtocolException(String message) {
    super(message);
  }

  /**
   * @param message what was expected and what came
   * @param cause the underlying failure
   */
  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
