package dev.pagi.tck.findings;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The plain servlets of the findings: no adapter, only the Servlet API. */
final class Servlets {
  private Servlets() {}

  /** Answers 200 "ok" without reading, recording each call. */
  static final class Answer extends HttpServlet {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      calls.add(req.getMethod() + " " + req.getRequestURI());
      resp.setContentType("text/plain");
      resp.getWriter().write("ok");
    }
  }

  /** {@code startAsync().complete()} and nothing else. */
  static final class AsyncNothing extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
      req.startAsync().complete();
    }
  }

  /**
   * Reads the body through a {@link ReadListener}, counting bytes, and records every listener
   * callback ({@code data}, {@code all-data-read}, {@code read-error <class>}, {@code async-...});
   * {@link #ended} counts down on the first terminal one.
   */
  static final class Reader extends HttpServlet {
    final AtomicLong read = new AtomicLong();
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      AsyncContext async = req.startAsync();
      async.setTimeout(0);
      async.addListener(
          new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent e) {
              end("async-complete");
            }

            @Override
            public void onTimeout(AsyncEvent e) {
              end("async-timeout");
            }

            @Override
            public void onError(AsyncEvent e) {
              end("async-error " + e.getThrowable().getClass().getSimpleName());
            }

            @Override
            public void onStartAsync(AsyncEvent e) {}
          });
      ServletInputStream in = req.getInputStream();
      byte[] buf = new byte[16384];
      in.setReadListener(
          new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
              while (in.isReady()) {
                int n = in.read(buf);
                if (n < 0) {
                  return;
                }
                read.addAndGet(n);
              }
            }

            @Override
            public void onAllDataRead() {
              end("all-data-read");
              async.complete();
            }

            @Override
            public void onError(Throwable t) {
              end("read-error " + t.getClass().getSimpleName());
              async.complete();
            }
          });
    }

    private void end(String what) {
      events.add(what);
      ended.countDown();
    }
  }
}
