package dev.pagi.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The baseline: a hand-written async servlet (the best a user could write with the raw Servlet 6
 * API) serving the same bytes as {@link BenchApp}: {@code hello}, {@code stream?bytes=N}, {@code
 * upload}.
 */
final class PlainServlet extends HttpServlet {
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    if (path.endsWith("/hello")) {
      resp.setContentType("text/plain");
      resp.setContentLength(BenchApp.HELLO.length);
      AsyncContext async = req.startAsync();
      ServletOutputStream out = resp.getOutputStream();
      out.setWriteListener(
          new WriteListener() {
            boolean written;

            @Override
            public void onWritePossible() throws IOException {
              if (!written) {
                written = true;
                out.write(BenchApp.HELLO);
              }
              if (out.isReady()) {
                async.complete();
              }
            }

            @Override
            public void onError(Throwable t) {
              async.complete();
            }
          });
    } else if (path.endsWith("/stream")) {
      long total = Long.parseLong(req.getQueryString().replace("bytes=", ""));
      resp.setContentType("application/octet-stream");
      resp.setContentLengthLong(total);
      AsyncContext async = req.startAsync();
      async.setTimeout(0);
      ServletOutputStream out = resp.getOutputStream();
      out.setWriteListener(
          new WriteListener() {
            long left = total;

            @Override
            public void onWritePossible() throws IOException {
              while (out.isReady()) {
                if (left == 0) {
                  async.complete();
                  return;
                }
                int n = (int) Math.min(BenchApp.CHUNK, left);
                left -= n;
                out.write(BenchApp.BLOCK, 0, n);
              }
            }

            @Override
            public void onError(Throwable t) {
              async.complete();
            }
          });
    } else if (path.endsWith("/upload")) {
      AsyncContext async = req.startAsync();
      async.setTimeout(0);
      ServletInputStream in = req.getInputStream();
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      in.setReadListener(
          new ReadListener() {
            final byte[] buf = new byte[16 * 1024];
            long total;

            @Override
            public void onDataAvailable() throws IOException {
              int n;
              while (in.isReady() && (n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
                total += n;
              }
            }

            @Override
            public void onAllDataRead() throws IOException {
              resp.setContentType("text/plain");
              byte[] body =
                  (total + " " + HexFormat.of().formatHex(sha.digest()) + "\n")
                      .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
              resp.setContentLength(body.length);
              ServletOutputStream out = resp.getOutputStream();
              out.setWriteListener(
                  new WriteListener() {
                    boolean written;

                    @Override
                    public void onWritePossible() throws IOException {
                      if (!written) {
                        written = true;
                        out.write(body);
                      }
                      if (out.isReady()) {
                        async.complete();
                      }
                    }

                    @Override
                    public void onError(Throwable t) {
                      async.complete();
                    }
                  });
            }

            @Override
            public void onError(Throwable t) {
              async.complete();
            }
          });
    } else {
      resp.sendError(404);
    }
  }
}
