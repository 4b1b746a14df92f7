package dev.pagi.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.PagiApp;
import dev.pagi.servlet.PagiConfig;
import dev.pagi.servlet.PagiServlet;
import dev.pagi.tck.app.TckApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged artifacts as users run them: {@code pagi-tck.war} deployed unchanged on Jetty, and
 * {@code java -jar pagi-tck.jar} run as a separate process against it.
 */
@Timeout(300)
class TckCliIT {
  private static final Path TARGET = Path.of("target");

  record Result(int exit, String output) {}

  private static Result runSuite(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(TARGET.resolve("pagi-tck.jar").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return e.toString();
              }
            });
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("pagi-tck.jar did not finish in 240 s");
    }
    return new Result(p.exitValue(), out.join());
  }

  private static Server jetty(Handler handler) throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // As in JettyTckTest: let paths whose escapes are not UTF-8 reach the app (rule 8).
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "pagi",
            UriCompliance.Violation.BAD_UTF8_ENCODING,
            UriCompliance.Violation.TRUNCATED_UTF8_ENCODING));
    ServerConnector connector =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Test
  void warOnJettyPassesTheSuiteAndWritesReports() throws Exception {
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/pagi-tck");
    webapp.setWar(TARGET.resolve("pagi-tck.war").toAbsolutePath().toString());
    webapp.setThrowUnavailableOnStartupException(true);
    // The test class path also holds Tomcat's WebSocket initializer; only Jetty's may run here.
    webapp.setAttribute(
        "org.eclipse.jetty.containerInitializerExclusionPattern", "org\\.apache\\.tomcat\\..*");
    Server server = jetty(webapp);
    Path out = Files.createDirectories(TARGET.resolve("tck-cli"));
    Path report = out.resolve("report.md");
    Path xml = out.resolve("junit-xml");
    try {
      Result r =
          runSuite(
              "--base-url",
              "http://127.0.0.1:" + port(server) + "/pagi-tck",
              "--report",
              report.toString(),
              "--junit-xml",
              xml.toString());
      assertEquals(0, r.exit(), r.output());
      assertTrue(r.output().contains("| 001 | MUST |"), r.output());
      assertTrue(r.output().contains("capabilities: [h2c]"), r.output());
      assertTrue(r.output().contains("FAIL 0,"), r.output());
      assertTrue(Files.readString(report).contains("| rule | level | title | h1 | h2c |"));
      try (Stream<Path> files = Files.list(xml)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".xml")));
      }
    } finally {
      server.stop();
    }
  }

  @Test
  void aBrokenAdapterFailsMustRulesAndExitsOne() throws Exception {
    // Swallows every send failure: the raise probes then report that nothing raised.
    TckApp tck = new TckApp();
    PagiApp broken =
        (scope, receive, send) ->
            tck.call(
                scope,
                receive,
                event -> send.send(event).toCompletableFuture().exceptionally(e -> null));
    ServletContextHandler ctx = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(new PagiServlet(broken, PagiConfig.defaults()));
    holder.setAsyncSupported(true);
    ctx.addServlet(holder, "/*");
    Server server = jetty(ctx);
    try {
      Result r = runSuite("--base-url", "http://127.0.0.1:" + port(server) + "/", "--only", "http");
      assertEquals(1, r.exit(), r.output());
      assertTrue(r.output().contains("FAIL"), r.output());
    } finally {
      server.stop();
    }
  }

  @Test
  void usageErrorsExitTwoNamingTheProblem() throws Exception {
    Result missing = runSuite();
    assertEquals(2, missing.exit(), missing.output());
    assertTrue(missing.output().contains("--base-url"), missing.output());
    Result group = runSuite("--base-url", "http://127.0.0.1:9/", "--only", "bogus");
    assertEquals(2, group.exit(), group.output());
    assertTrue(group.output().contains("Unknown group 'bogus'"), group.output());
  }
}
