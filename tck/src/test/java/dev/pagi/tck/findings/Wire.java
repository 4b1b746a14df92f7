package dev.pagi.tck.findings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.util.Callback;

/** The client side of the findings: raw HTTP/1.1 bytes, and Jetty's h2c client. */
final class Wire {
  private Wire() {}

  /**
   * What the server sent back for {@code request}, up to its end of stream or {@code millis} of
   * silence.
   *
   * @param port the server's port on 127.0.0.1
   * @param request the raw request bytes (ISO-8859-1)
   * @param millis how long to wait for more
   * @return the answer and whether the server closed the connection
   */
  static Answer raw(int port, String request, int millis) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(millis);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          got.write(buf, 0, n);
        }
        return new Answer(got.toString(StandardCharsets.ISO_8859_1), true);
      } catch (SocketTimeoutException e) {
        return new Answer(got.toString(StandardCharsets.ISO_8859_1), false);
      }
    }
  }

  /** What came back on a raw connection. */
  record Answer(String text, boolean closed) {
    /** The status of the first response, or 0 when none came. */
    int status() {
      return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : 0;
    }
  }

  /** A started Jetty h2c client (prior knowledge). */
  static HttpClient h2c() throws Exception {
    HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
    client.start();
    return client;
  }

  /**
   * Streams {@code total} bytes of request body over h2c in 64 KiB blocks, stopping at the first
   * block the server does not take within 5 s.
   *
   * @return the bytes the server took, and the exchange's result (bounded wait)
   */
  static long streamBody(HttpClient client, String url, long total) throws Exception {
    AsyncRequestContent content = new AsyncRequestContent();
    CompletableFuture<Result> done = new CompletableFuture<>();
    client.newRequest(url).method("POST").body(content).send(done::complete);
    byte[] block = new byte[64 * 1024];
    long sent = 0;
    while (sent < total) {
      CompletableFuture<Void> written = new CompletableFuture<>();
      content.write(
          java.nio.ByteBuffer.wrap(block),
          Callback.from(() -> written.complete(null), written::completeExceptionally));
      try {
        written.get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        break;
      }
      sent += block.length;
    }
    content.close();
    try {
      done.get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // The outcome is what the servlet saw, not what the client got.
    }
    return sent;
  }
}
