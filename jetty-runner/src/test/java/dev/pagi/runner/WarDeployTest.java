package dev.pagi.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.testkit.TestCerts;
import dev.pagi.testwar.WarHello;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code war(...)}: a WAR with its own adapter, found by the adapter's initializer. */
@Timeout(60)
class WarDeployTest {
  @TempDir Path dir;

  private static String get(HttpClient client, java.net.URI uri) throws Exception {
    try {
      ContentResponse r = client.newRequest(uri).timeout(10, TimeUnit.SECONDS).send();
      assertEquals(200, r.getStatus(), r.getContentAsString());
      return r.getContentAsString();
    } finally {
      client.stop();
    }
  }

  @Test
  void warIsDeployedWithItsOwnAdapterOverH1AndH2c() throws Exception {
    Path war = TestWar.build(dir, WarHello.class);
    try (PagiServer server =
        PagiServer.builder().war(war).port(0).rootPath("/app").build().start()) {
      assertEquals(
          "war /app /app/x 1.1 tls=none loader=war", get(Clients.h1(), server.uri().resolve("x")));
      assertEquals(
          "war /app /app/y 2 tls=none loader=war", get(Clients.h2c(), server.uri().resolve("y")));
    }
  }

  @Test
  void warOnTlsSeesTheWholeTlsExtension() throws Exception {
    Path war = TestWar.build(dir, WarHello.class);
    TestCerts certs = new TestCerts();
    try (PagiServer server =
        PagiServer.builder()
            .war(war)
            .port(0)
            .tlsPort(0)
            .keystore(certs.server, TestCerts.PASSWORD)
            .clientAuth(PagiServer.ClientAuth.WANT)
            .truststore(certs.serverTrust, TestCerts.PASSWORD)
            .build()
            .start()) {
      String body =
          get(
              Clients.tls(
                  true,
                  TestCerts.load(certs.clientTrust),
                  TestCerts.load(certs.client),
                  TestCerts.PASSWORD),
              server.tlsUri().resolve("t"));
      assertTrue(
          body.matches(
              "war  /t 2 tls=version:77[12],client:CN=alice,O=Example,server_cert:true loader=war"),
          body);
    }
  }

  @Test
  void warWhoseLifespanStartupFailsIsNotServed() throws Exception {
    Path war = TestWar.build(dir, WarHello.class);
    System.setProperty("pagi.testwar.fail", "no license key");
    try {
      PagiServer server = PagiServer.builder().war(war).port(0).build();
      StartupException e = assertThrows(StartupException.class, server::start);
      assertTrue(e.getMessage().contains("no license key"), e.getMessage());
      server.close();
    } finally {
      System.clearProperty("pagi.testwar.fail");
    }
  }
}
