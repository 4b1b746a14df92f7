package dev.pagi.tck.suite;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.Content;

/**
 * A client that reads a response body only when told to, so the server's output backs up: on
 * HTTP/1.1 a raw socket with a small receive buffer, on HTTP/2 a client with a 64 KiB stream window
 * that releases (and so re-opens the window for) only what it reads.
 */
public interface SlowReader extends AutoCloseable {

  /**
   * Reads whatever arrives next (waiting at most 5 s).
   *
   * @return the number of body bytes (raw bytes on HTTP/1.1) read, or -1 at the end
   * @throws Exception on timeout or failure
   */
  long readSome() throws Exception;

  /**
   * Reads to the end.
   *
   * @return the number of body bytes in the whole response (including any read before)
   * @throws Exception on timeout or failure
   */
  long readBody() throws Exception;

  /**
   * Sends a GET and returns without reading anything.
   *
   * @param target the target
   * @param path a path below the base
   * @return the reader
   * @throws Exception on failure
   */
  static SlowReader get(TckTarget target, String path) throws Exception {
    return get(target, path, new String[0]);
  }

  /**
   * Sends a GET with extra headers and returns without reading anything.
   *
   * @param target the target
   * @param path a path below the base
   * @param headers header lines such as {@code Accept: text/event-stream}
   * @return the reader
   * @throws Exception on failure
   */
  static SlowReader get(TckTarget target, String path, String... headers) throws Exception {
    return target.protocol() == TckTarget.Protocol.H1
        ? new Raw(target, path, headers)
        : new H2(target, path, headers);
  }

  /** HTTP/1.1 over a socket with an 8 KiB receive buffer. */
  final class Raw implements SlowReader {
    private final RawHttp raw;

    Raw(TckTarget target, String path, String... headers) throws IOException {
      raw = new RawHttp(target, 8192);
      String[] lines = java.util.Arrays.copyOf(headers, headers.length + 1);
      lines[headers.length] = "Connection: close";
      raw.send(raw.request("GET", path, lines));
    }

    @Override
    public long readSome() throws IOException {
      return raw.readSome();
    }

    @Override
    public long readBody() throws IOException {
      RawHttp.Response r = raw.readResponse(false);
      if (!r.complete()) {
        throw new IOException("response cut short: " + r.statusLine());
      }
      return r.body().length;
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }

  /** HTTP/2 with a small stream window and a body source read by hand. */
  final class H2 implements SlowReader {
    private final HttpClient http;
    private final CompletableFuture<Content.Source> source = new CompletableFuture<>();
    private long total;
    private boolean eof;

    H2(TckTarget target, String path, String... headers) throws Exception {
      HTTP2Client h2 = new HTTP2Client();
      h2.setInitialStreamRecvWindow(65535);
      h2.setInitialSessionRecvWindow(1 << 20);
      http = new HttpClient(new HttpClientTransportOverHTTP2(h2));
      http.start();
      http.newRequest(target.uri(path))
          .headers(
              h -> {
                for (String line : headers) {
                  int colon = line.indexOf(':');
                  h.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
              })
          .timeout(30, TimeUnit.SECONDS)
          .onResponseContentSource((response, src) -> source.complete(src))
          .send(result -> source.completeExceptionally(new IOException("ended: " + result)));
    }

    @Override
    public long readSome() throws Exception {
      if (eof) {
        return -1;
      }
      Content.Source src = source.get(5, TimeUnit.SECONDS);
      while (true) {
        Content.Chunk chunk = src.read();
        if (chunk == null) {
          CountDownLatch ready = new CountDownLatch(1);
          src.demand(ready::countDown);
          if (!ready.await(5, TimeUnit.SECONDS)) {
            throw new IOException("no content within 5 s");
          }
          continue;
        }
        if (Content.Chunk.isFailure(chunk)) {
          throw new IOException("body failed", chunk.getFailure());
        }
        int n = chunk.remaining();
        eof = chunk.isLast();
        chunk.release();
        total += n;
        return n == 0 && eof ? -1 : n;
      }
    }

    @Override
    public long readBody() throws Exception {
      while (readSome() >= 0) {
        // count on
      }
      return total;
    }

    @Override
    public void close() throws Exception {
      http.stop();
    }
  }
}
