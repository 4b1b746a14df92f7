package dev.pagi.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagi.runner.examples.TlsInfo;
import dev.pagi.testkit.TestCerts;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The TLS port: h2 by ALPN with HTTP/1.1 fallback, the tls extension, mTLS, PEM files. */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TestCerts certs;

  @BeforeAll
  void certs() throws Exception {
    certs = new TestCerts();
  }

  private PagiServer.Builder tlsServer() {
    return PagiServer.builder()
        .app(new TlsInfo())
        .port(0)
        .tlsPort(0)
        .keystore(certs.server, TestCerts.PASSWORD);
  }

  private HttpClient client(boolean h2, boolean identity) throws Exception {
    return Clients.tls(
        h2,
        TestCerts.load(certs.clientTrust),
        identity ? TestCerts.load(certs.client) : null,
        TestCerts.PASSWORD);
  }

  private static JsonNode get(HttpClient client, URI uri, HttpVersion expected) throws Exception {
    try {
      ContentResponse r = client.newRequest(uri).timeout(10, TimeUnit.SECONDS).send();
      assertEquals(200, r.getStatus(), r.getContentAsString());
      assertEquals(expected, r.getVersion());
      return JSON.readTree(r.getContentAsString());
    } finally {
      client.stop();
    }
  }

  @Test
  void h2OverTlsCarriesTheTlsExtension() throws Exception {
    try (PagiServer server = tlsServer().build().start()) {
      JsonNode body = get(client(true, false), server.tlsUri(), HttpVersion.HTTP_2);
      assertEquals("https", body.get("scheme").asText());
      assertEquals("2", body.get("http_version").asText());
      JsonNode tls = body.get("tls");
      assertTrue(tls.get("tls_version").asInt() >= 0x0303, tls.toString());
      assertTrue(tls.get("cipher_suite").isInt(), tls.toString());
      assertTrue(tls.get("server_cert").asText().startsWith("-----BEGIN CERTIFICATE-----"));
      assertEquals(0, tls.get("client_cert_chain").size());
      assertTrue(tls.get("client_cert_name").isNull());
    }
  }

  @Test
  void clientWithoutH2FallsBackToHttp11() throws Exception {
    try (PagiServer server = tlsServer().build().start()) {
      JsonNode body = get(client(false, false), server.tlsUri(), HttpVersion.HTTP_1_1);
      assertEquals("1.1", body.get("http_version").asText());
      assertEquals("https", body.get("scheme").asText());
    }
  }

  @Test
  void cleartextPortHasNoTlsExtension() throws Exception {
    try (PagiServer server = tlsServer().build().start()) {
      JsonNode body = get(Clients.h1(), server.uri(), HttpVersion.HTTP_1_1);
      assertEquals("http", body.get("scheme").asText());
      assertTrue(body.get("tls").isNull(), body.toString());
    }
  }

  @Test
  void requiredClientCertificateIsReportedByName() throws Exception {
    try (PagiServer server =
        tlsServer()
            .clientAuth(PagiServer.ClientAuth.NEED)
            .truststore(certs.serverTrust, TestCerts.PASSWORD)
            .build()
            .start()) {
      JsonNode tls = get(client(true, true), server.tlsUri(), HttpVersion.HTTP_2).get("tls");
      assertEquals("CN=alice,O=Example", tls.get("client_cert_name").asText());
      assertEquals(1, tls.get("client_cert_chain").size());
      HttpClient anonymous = client(true, false);
      try {
        assertThrows(
            Exception.class,
            () -> anonymous.newRequest(server.tlsUri()).timeout(10, TimeUnit.SECONDS).send());
      } finally {
        anonymous.stop();
      }
    }
  }

  @Test
  void pemCertificateAndKeyServeTls() throws Exception {
    Path[] pem = certs.serverPem();
    try (PagiServer server =
        PagiServer.builder()
            .app(new TlsInfo())
            .port(0)
            .tlsPort(0)
            .pem(pem[0], pem[1])
            .build()
            .start()) {
      JsonNode tls = get(client(true, false), server.tlsUri(), HttpVersion.HTTP_2).get("tls");
      assertTrue(tls.get("server_cert").asText().contains("-----END CERTIFICATE-----"));
    }
  }

  @Test
  void tlsFilesWithoutTlsPortAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PagiServer.builder()
                    .app(new TlsInfo())
                    .keystore(certs.server, TestCerts.PASSWORD)
                    .build());
    assertEquals(
        "Expected a TLS port with the keystore or certificate but got none", e.getMessage());
  }

  @Test
  void smallestThreadPoolServesBothPorts() throws Exception {
    try (PagiServer server = tlsServer().threads(8).build().start()) {
      assertEquals(
          "https",
          get(client(true, false), server.tlsUri(), HttpVersion.HTTP_2).get("scheme").asText());
      assertEquals(
          "http", get(Clients.h1(), server.uri(), HttpVersion.HTTP_1_1).get("scheme").asText());
    }
  }
}
