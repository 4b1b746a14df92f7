package dev.pagi.runner;

/**
 * The application or WAR could not start, for example because its lifespan startup sent {@code
 * lifespan.startup.failed}; the message says why (the application's own message included). When
 * {@link PagiServer#start()} throws it, no port was opened.
 */
public final class StartupException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message why
   */
  public StartupException(String message) {
    super(message);
  }

  /**
   * @param message why
   * @param cause the underlying failure
   */
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
