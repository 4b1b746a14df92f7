package dev.pagi.runner.internal;

import java.io.PrintStream;
import org.eclipse.jetty.server.RequestLog;

/** Access log lines to standard output ({@code --access-log -}), one println per entry. */
public final class StdoutLogWriter implements RequestLog.Writer {
  private final PrintStream out;

  public StdoutLogWriter() {
    this(System.out);
  }

  public StdoutLogWriter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void write(String entry) {
    out.println(entry);
  }
}
