package dev.pagi.tck.suite;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;

/** Jetty's HTTP client configured for a target's protocol (HTTP/1.1 or h2c prior knowledge). */
public final class TckClient implements AutoCloseable {
  private final TckTarget target;
  private final HttpClient http;

  /**
   * Creates and starts a client.
   *
   * @param target the target
   */
  public TckClient(TckTarget target) {
    this.target = target;
    this.http =
        target.protocol() == TckTarget.Protocol.H2C
            ? new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()))
            : new HttpClient();
    http.setFollowRedirects(false);
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client", e);
    }
  }

  /**
   * @param path a path below the target's base
   * @return a request with a 10 s total timeout
   */
  public Request request(String path) {
    return http.newRequest(target.uri(path)).timeout(10, TimeUnit.SECONDS);
  }

  /**
   * Sends a GET and waits for the whole response.
   *
   * @param path a path below the target's base
   * @return the response
   * @throws Exception on failure or timeout
   */
  public ContentResponse get(String path) throws Exception {
    return request(path).send();
  }

  /**
   * @return the underlying Jetty client, started
   */
  public HttpClient jetty() {
    return http;
  }

  @Override
  public void close() throws Exception {
    http.stop();
  }
}
