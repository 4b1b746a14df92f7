package dev.pagi.runner;

import dev.pagi.runner.internal.Signals;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/**
 * The {@code pagi-jetty-runner} command: a thin layer over {@link PagiServer}. See {@code --help}
 * for the options; exit status 0 after a graceful stop (SIGTERM, SIGINT), 1 when the application
 * cannot start, 2 on a usage error.
 */
@Command(
    name = "pagi-jetty-runner",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "pagi-jetty-runner - serve a PAGI application on embedded Jetty 12",
    synopsisHeading = "%nUsage: ",
    customSynopsis = {"@|bold pagi-jetty-runner|@ [--app CLASS|NAME | --war FILE] [OPTIONS]"},
    descriptionHeading = "%nDescription:%n",
    description = {
      "Runs one PAGI application (a dev.pagi.PagiApp class, or a WAR that carries the PAGI servlet"
          + " adapter) on embedded Jetty: HTTP/1.1 and HTTP/2 cleartext (prior knowledge and"
          + " Upgrade: h2c) on one port, and optionally HTTP/2 over TLS (ALPN, falling back to"
          + " HTTP/1.1) on a second port. WebSocket works over HTTP/1.1 and over HTTP/2"
          + " (RFC 8441). Without --app or --war it serves the built-in demo:",
      "    http://127.0.0.1:8080/",
      "",
      "The ports open only after the application's lifespan startup succeeded. SIGTERM or SIGINT"
          + " stops gracefully: the ports stop accepting, in-flight requests get"
          + " --shutdown-timeout to finish, open SSE streams and WebSockets end with"
          + " server_shutdown, then the lifespan shutdown runs and the process exits with 0."
          + " A second signal exits at once.",
      "",
      "SIZE is a byte count with an optional suffix k, m or g (powers of 1024): 65536, 64k, 10m."
          + " DURATION is seconds, or a number with ms, s, m or h: 30, 500ms, 2m."
    },
    optionListHeading = "%nOptions:%n",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:Stopped by SIGTERM or SIGINT; or --help, --version.",
      "1:The application could not start (for example lifespan.startup.failed), or a port"
          + " could not be bound.",
      "2:A bad option or value."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  pagi-jetty-runner",
      "      The demo page on http://127.0.0.1:8080/.",
      "  pagi-jetty-runner --app com.example.Hello --classpath app.jar --port 0",
      "      Your app on a free port (the URL is printed).",
      "  pagi-jetty-runner --app sse-broadcaster --host 0.0.0.0 --access-log -",
      "      An example app on every interface, requests logged to stdout.",
      "  pagi-jetty-runner --war app.war --tls-port 8443 --cert c.pem --key k.pem",
      "      A WAR over http and https (h2).",
      "",
      "Example apps for --app: demo, hello, streaming, request-body, websocket-echo,"
          + " sse-broadcaster, lifespan-state, fullflush, tls-info, flow-control."
    })
public final class Main implements Callable<Integer> {
  static final String NAME = "pagi-jetty-runner";

  @Mixin Options options = new Options();

  private final PrintStream out;
  private final PrintStream err;

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    // Jetty's own start/stop lines repeat what the banner says; keep its warnings and errors.
    if (System.getProperty("org.eclipse.jetty.LEVEL") == null) {
      System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit status instead of exiting. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Main(out, err));
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setParameterExceptionHandler(
        (ParameterException e, String[] a) -> {
          String message = e.getMessage().replaceFirst("^Error: ", "");
          err.println(NAME + ": " + message + " (see --help)");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (Exception e, CommandLine c, CommandLine.ParseResult r) -> {
          err.println(NAME + ": " + e.getMessage());
          return 1;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    PagiServer server = options.build();
    try {
      server.start();
    } catch (StartupException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println(NAME + ": cannot listen: " + e.getMessage());
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(server::close, "pagi-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.onTermination(
        () -> {
          if (stop.getCount() == 0) {
            err.println(NAME + ": stopping now");
            Runtime.getRuntime().halt(1);
          }
          stop.countDown();
        });
    banner(server);
    stop.await();
    err.println(NAME + ": shutting down");
    server.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    return 0;
  }

  private void banner(PagiServer server) {
    String what = options.describeApp();
    out.println(NAME + " " + Version.version() + ": serving " + what);
    out.println("  " + server.uri() + (options.h2c ? "  (HTTP/1.1, h2c)" : "  (HTTP/1.1)"));
    URI tls = server.tlsUri();
    if (tls != null) {
      out.println("  " + tls + "  (h2, HTTP/1.1)");
    }
    out.println("Press Ctrl+C to stop.");
    out.flush();
  }

  /** {@code --version}: this launcher's and Jetty's versions. */
  static final class Version implements CommandLine.IVersionProvider {
    static String version() {
      String v = Main.class.getPackage().getImplementationVersion();
      return v == null ? "(development build)" : v;
    }

    @Override
    public String[] getVersion() {
      return new String[] {
        NAME + " " + version(),
        "Jetty " + org.eclipse.jetty.util.Jetty.VERSION + ", Java " + Runtime.version(),
        "PAGI spec " + dev.pagi.Scope.PAGI_VERSION
      };
    }
  }
}
