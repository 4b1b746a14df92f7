package dev.pagi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.servlet.PagiConfig;
import dev.pagi.servlet.PagiServlet;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket.Listener;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@link WebSocket} helper against a real server, with the JDK's WebSocket client. */
@Timeout(30)
class WebSocketHelperTest {

  /** Runs {@code app} on Jetty for the duration of {@code body}. */
  private static void serve(PagiApp app, Body body) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ServletHolder holder =
        new ServletHolder(
            new PagiServlet(
                app, PagiConfig.builder().lifespanMode(PagiConfig.LifespanMode.OFF).build()));
    holder.setAsyncSupported(true);
    ctx.addServlet(holder, "/*");
    JakartaWebSocketServletContainerInitializer.configure(ctx, null);
    server.setHandler(ctx);
    server.start();
    try {
      body.run(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/"));
    } finally {
      server.stop();
    }
  }

  interface Body {
    void run(URI uri) throws Exception;
  }

  /** JDK client events: {@code text:..} and {@code close:<code>:<reason>}. */
  private static final class Events implements Listener {
    final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        seen.add("text:" + partial);
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
      seen.add("close:" + code + ":" + reason);
      return null;
    }

    String next() throws InterruptedException {
      String e = seen.poll(10, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("nothing from the server within 10 s");
      }
      return e;
    }
  }

  private static java.net.http.WebSocket connect(URI uri, Events events, String... protocols)
      throws Exception {
    var builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (protocols.length > 0) {
      builder.subprotocols(
          protocols[0], java.util.Arrays.copyOfRange(protocols, 1, protocols.length));
    }
    return builder.buildAsync(uri, events).get(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptEchoAndOnCloseWithThePeersCode() throws Exception {
    CompletableFuture<String> closed = new CompletableFuture<>();
    CompletableFuture<Object> stashed = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) -> {
          WebSocket ws = WebSocket.of(scope, receive, send);
          ws.stash().put("user", "ann");
          ws.onClose(
              (code, reason) -> {
                stashed.complete(ws.stash().get("user"));
                closed.complete(code + ":" + reason);
              });
          return ws.accept("chat", List.of())
              .thenCompose(v -> ws.eachText(text -> ws.sendText("echo " + text)));
        };
    serve(
        app,
        uri -> {
          Events events = new Events();
          java.net.http.WebSocket client = connect(uri, events, "chat");
          assertEquals("chat", client.getSubprotocol());
          client.sendText("one", true).get();
          assertEquals("text:echo one", events.next());
          client.sendText("two", true).get();
          assertEquals("text:echo two", events.next());
          client.sendClose(4000, "done").get();
          assertEquals("4000:done", closed.get(10, TimeUnit.SECONDS));
          assertEquals("ann", stashed.get());
        });
  }

  @Test
  void jsonRoundTrip() throws Exception {
    PagiApp app =
        (scope, receive, send) -> {
          WebSocket ws = WebSocket.of(scope, receive, send);
          return ws.accept()
              .thenCompose(
                  v ->
                      ws.eachJson(
                          Map.class,
                          m -> {
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("got", m.get("n"));
                            out.put("buffered", ws.bufferedAmount());
                            return ws.sendJson(out);
                          }));
        };
    serve(
        app,
        uri -> {
          Events events = new Events();
          java.net.http.WebSocket client = connect(uri, events);
          client.sendText("{\"n\":7}", true).get();
          assertEquals("text:{\"got\":7,\"buffered\":0}", events.next());
        });
  }

  @Test
  void closeSendsTheCodeAndRunsOnCloseOnce() throws Exception {
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) -> {
          WebSocket ws = WebSocket.of(scope, receive, send);
          ws.onClose((code, reason) -> calls.add(code + ":" + reason));
          return ws.accept()
              .thenCompose(v -> ws.close(4001, "bye"))
              .thenCompose(v -> ws.close(4002, "again"))
              .thenCompose(v -> ws.receive())
              .thenRun(
                  () -> {
                    ws.onClose((code, reason) -> calls.add("late " + code));
                    done.complete(null);
                  });
        };
    serve(
        app,
        uri -> {
          Events events = new Events();
          connect(uri, events);
          assertEquals("close:4001:bye", events.next());
          done.get(10, TimeUnit.SECONDS);
          assertEquals(List.of("4001:bye", "late 4001"), calls);
        });
  }

  @Test
  void denyUsesTheExtensionOrFallsBackToClose() throws Exception {
    PagiApp deny =
        (scope, receive, send) -> WebSocket.of(scope, receive, send).deny(401, "no token");
    // The same app on a server that does not advertise websocket.http.response.
    PagiApp withoutExtension =
        (scope, receive, send) -> {
          Map<String, Object> ext = new LinkedHashMap<>(Scope.extensions(scope));
          ext.remove(Scope.EXT_WEBSOCKET_HTTP_RESPONSE);
          return deny.call(Scope.with(scope, Scope.EXTENSIONS, ext), receive, send);
        };
    serve(
        deny,
        uri -> {
          String response = rawHandshake(uri);
          assertTrue(response.startsWith("HTTP/1.1 401 "), response);
          assertTrue(response.endsWith("no token"), response);
        });
    serve(
        withoutExtension,
        uri -> {
          String response = rawHandshake(uri);
          assertTrue(response.startsWith("HTTP/1.1 403 "), response);
        });
  }

  private static String rawHandshake(URI uri) throws Exception {
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void fragmentsArriveAsOneMessage() throws Exception {
    PagiApp app =
        (scope, receive, send) -> {
          WebSocket ws = WebSocket.of(scope, receive, send);
          return ws.accept()
              .thenCompose(v -> ws.sendFragment("stream", false))
              .thenCompose(v -> ws.sendFragment("ed", true))
              .thenCompose(v -> ws.receive());
        };
    serve(
        app,
        uri -> {
          Events events = new Events();
          connect(uri, events);
          assertEquals("text:streamed", events.next());
        });
  }
}
