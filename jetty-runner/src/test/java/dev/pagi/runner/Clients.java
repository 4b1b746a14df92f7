package dev.pagi.runner;

import java.security.KeyStore;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Started Jetty HTTP clients for each protocol the runner speaks. */
final class Clients {
  private Clients() {}

  static HttpClient h1() throws Exception {
    return start(new HttpClient());
  }

  /** HTTP/2 cleartext with prior knowledge. */
  static HttpClient h2c() throws Exception {
    return start(new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client())));
  }

  /**
   * HTTPS that negotiates h2 or http/1.1 by ALPN (h2 preferred when {@code h2} is true).
   *
   * @param trust the trust store holding the server's certificate
   * @param identity a client key store for mTLS, or null
   */
  static HttpClient tls(boolean h2, KeyStore trust, KeyStore identity, String password)
      throws Exception {
    SslContextFactory.Client ssl = new SslContextFactory.Client();
    ssl.setTrustStore(trust);
    if (identity != null) {
      ssl.setKeyStore(identity);
      ssl.setKeyStorePassword(password);
    }
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(ssl);
    HTTP2Client http2 = new HTTP2Client(connector);
    HttpClientTransportDynamic transport =
        h2
            ? new HttpClientTransportDynamic(
                connector,
                new ClientConnectionFactoryOverHTTP2.HTTP2(http2),
                HttpClientConnectionFactory.HTTP11)
            : new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11);
    return start(new HttpClient(transport));
  }

  private static HttpClient start(HttpClient client) throws Exception {
    client.setFollowRedirects(false);
    client.start();
    return client;
  }
}
