package dev.pagi.tck.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the adapter logs ({@code java.util.logging}, loggers under {@code dev.pagi}) while
 * open — the harness-level check of rules such as "no error is logged" when the server runs in the
 * suite's JVM ({@link TckTarget#IN_PROCESS}).
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private static final Logger ADAPTER = Logger.getLogger("dev.pagi");
  private final List<LogRecord> records = new ArrayList<>();

  /** Starts recording. */
  public LogCapture() {
    setLevel(Level.ALL);
    ADAPTER.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  /**
   * @param atLeast the lowest level
   * @return the messages (with the thrown exception's text) logged at {@code atLeast} or above
   */
  public synchronized List<String> messages(Level atLeast) {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) {
      if (r.getLevel().intValue() >= atLeast.intValue()) {
        out.add(
            r.getLevel()
                + " "
                + r.getMessage()
                + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"));
      }
    }
    return out;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    ADAPTER.removeHandler(this);
  }
}
