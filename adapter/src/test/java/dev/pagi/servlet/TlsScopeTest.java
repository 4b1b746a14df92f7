package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Scope;
import dev.pagi.testkit.TestCerts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code tls} scope extension on Jetty over real TLS, with and without a client certificate.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsScopeTest {
  private final AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
  private TestCerts certs;
  private Server server;
  private URI https;
  private URI http;

  @BeforeAll
  void start() throws Exception {
    certs = new TestCerts();
    PagiApp app =
        (scope, receive, send) -> {
          seen.set(scope);
          return send.send(Events.responseStart(200, List.of(Header.of("content-length", "2"))))
              .thenCompose(v -> send.send(Events.body("ok")));
        };
    server = new Server();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(certs.server.toString());
    ssl.setKeyStorePassword(TestCerts.PASSWORD);
    ssl.setTrustStorePath(certs.serverTrust.toString());
    ssl.setTrustStorePassword(TestCerts.PASSWORD);
    ssl.setWantClientAuth(true);
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new SecureRequestCustomizer());
    ServerConnector tls =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(config));
    tls.setHost("127.0.0.1");
    ServerConnector plain = new ServerConnector(server);
    plain.setHost("127.0.0.1");
    server.addConnector(tls);
    server.addConnector(plain);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ServletHolder holder =
        new ServletHolder(
            new PagiServlet(
                app, PagiConfig.builder().lifespanMode(PagiConfig.LifespanMode.OFF).build()));
    holder.setAsyncSupported(true);
    ctx.addServlet(holder, "/*");
    server.setHandler(ctx);
    server.start();
    https = URI.create("https://127.0.0.1:" + tls.getLocalPort() + "/");
    http = URI.create("http://127.0.0.1:" + plain.getLocalPort() + "/");
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> tlsOf(URI uri, boolean clientCert) throws Exception {
    SSLParameters params = new SSLParameters();
    params.setProtocols(new String[] {"TLSv1.3"});
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(certs.clientContext(clientCert))
            .sslParameters(params)
            .build();
    HttpResponse<String> r =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return (Map<String, Object>) Scope.extensions(seen.get()).get(Scope.EXT_TLS);
  }

  @Test
  void tlsConnectionCarriesTheExtensionWithNumbersAndPem() throws Exception {
    Map<String, Object> tls = tlsOf(https, false);
    assertEquals("https", seen.get().get(Scope.SCHEME));
    assertEquals(0x0304, tls.get("tls_version"));
    int cipher = (Integer) tls.get("cipher_suite");
    assertTrue(cipher >= 0x1301 && cipher <= 0x1303, "TLS 1.3 suite id " + cipher);
    assertTrue(((String) tls.get("server_cert")).startsWith("-----BEGIN CERTIFICATE-----\n"));
    assertEquals(List.of(), tls.get("client_cert_chain"));
    assertNull(tls.get("client_cert_name"));
    assertTrue(tls.containsKey("client_cert_error"));
    assertNull(tls.get("client_cert_error"));
  }

  @Test
  void clientCertificateGivesChainAndRfc4514Name() throws Exception {
    Map<String, Object> tls = tlsOf(https, true);
    assertEquals("CN=alice,O=Example", tls.get("client_cert_name"));
    List<?> chain = (List<?>) tls.get("client_cert_chain");
    assertEquals(1, chain.size());
    assertTrue(((String) chain.get(0)).contains("-----END CERTIFICATE-----"));
  }

  @Test
  void cleartextConnectionHasNoTlsKey() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(http).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("http", seen.get().get(Scope.SCHEME));
    assertTrue(!Scope.extensions(seen.get()).containsKey(Scope.EXT_TLS));
  }
}
