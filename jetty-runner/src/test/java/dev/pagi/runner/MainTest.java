package dev.pagi.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line's usage errors, help and version, run in-process. */
@Timeout(30)
class MainTest {

  record Outcome(int status, String out, String err) {}

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--bogus|Unknown option: '--bogus'",
        "--port 70000|Invalid value for option '--port': expected a port from 0 to 65535 but got"
            + " '70000'",
        "--port x|Invalid value for option '--port'",
        "--client-auth maybe|Invalid value for option '--client-auth': expected 'none', 'want' or"
            + " 'need' but got 'maybe'",
        "--lifespan sometimes|Invalid value for option '--lifespan'",
        "--max-body-size 3x|Invalid value for option '--max-body-size': expected a size",
        "--idle-timeout soon|Invalid value for option '--idle-timeout': expected a duration",
        "--idle-timeout 0|Invalid value for option '--idle-timeout': expected more than 0",
        "--threads 6|Invalid value for option '--threads': expected at least 8 but got 6",
        "--war pom.xml --max-body-size 1m|Option '--max-body-size' applies to --app only; a WAR sets pagi.* init-params in its web.xml",
        "--app no.such.App|Invalid value for option '--app': PAGI application class not found:"
            + " no.such.App",
        "--app hello --war x.war|--app=CLASS|NAME, --war=FILE are mutually exclusive",
        "--war /no/such.war|Invalid value for option '--war': no such file '/no/such.war'",
        "--keystore k.p12|Options '--keystore', '--cert' and '--key' need '--tls-port'",
        "--tls-port 0|Option '--tls-port' needs '--keystore', or '--cert' with '--key'",
        "--client-auth need|Options '--client-auth' and '--truststore' need '--tls-port'",
        "--root-path api|Invalid value for option '--root-path'",
        "--low-water-mark 1m --high-water-mark 64k|Expected option values with low-water mark <="
            + " high-water mark",
      })
  void badOptionExitsTwoWithOneLineNamingIt(String args, String expected) {
    Outcome o = run(args.split(" "));
    assertEquals(2, o.status(), o.err());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("pagi-jetty-runner: "), o.err());
    assertTrue(o.err().contains(expected), o.err());
    assertEquals("", o.out());
  }

  @Test
  void helpReadsLikeAManPage() {
    Outcome o = run("--help");
    assertEquals(0, o.status());
    for (String section :
        new String[] {"Usage:", "Description:", "Options:", "Exit status:", "Examples:"}) {
      assertTrue(o.out().contains(section), section + " in\n" + o.out());
    }
    for (String option :
        new String[] {
          "--app",
          "--classpath",
          "--war",
          "--host",
          "--port",
          "--root-path",
          "--[no-]h2c",
          "--tls-port",
          "--keystore",
          "--cert",
          "--key",
          "--client-auth",
          "--truststore",
          "--access-log",
          "--max-body-size",
          "--idle-timeout",
          "--sse-idle-timeout",
          "--ws-max-message-size",
          "--high-water-mark",
          "--low-water-mark",
          "--lifespan",
          "--lifespan-timeout",
          "--shutdown-timeout",
          "--threads",
          "--version"
        }) {
      assertTrue(o.out().contains(option), option);
    }
  }

  @Test
  void versionNamesLauncherJettyAndSpec() {
    Outcome o = run("--version");
    assertEquals(0, o.status());
    assertTrue(o.out().startsWith("pagi-jetty-runner "), o.out());
    assertTrue(o.out().contains("Jetty 12."), o.out());
    assertTrue(o.out().contains("PAGI spec 0.3"), o.out());
  }

  @Test
  void failingLifespanStartupExitsOneWithTheAppsMessage() {
    Outcome o = run("--app", FailingStartup.class.getName(), "--port", "0");
    assertEquals(1, o.status(), o.err());
    assertTrue(o.err().contains("pagi-jetty-runner: "), o.err());
    assertTrue(o.err().contains("schema migration failed"), o.err());
    assertTrue(!o.out().contains("http://"), o.out());
  }

  /** Fails its lifespan startup. */
  public static final class FailingStartup implements dev.pagi.PagiApp {
    @Override
    public java.util.concurrent.CompletionStage<?> call(
        java.util.Map<String, Object> scope, dev.pagi.Receive receive, dev.pagi.Send send) {
      return receive
          .receive()
          .thenCompose(
              e ->
                  send.send(
                      java.util.Map.of(
                          dev.pagi.Events.TYPE,
                          dev.pagi.Events.LIFESPAN_STARTUP_FAILED,
                          "message",
                          "schema migration failed")));
    }
  }
}
