package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PagiInitializerTest {

  /** Named by the context-param; a public no-arg class, as a WAR would ship it. */
  public static final class Hello implements PagiApp {
    /** A static factory, the other form {@code pagi.app} accepts. */
    public static PagiApp create() {
      return new Hello();
    }

    @Override
    public CompletionStage<?> call(
        java.util.Map<String, Object> scope, dev.pagi.Receive receive, dev.pagi.Send send) {
      if (!Scope.type(scope).equals(Scope.TYPE_HTTP)) {
        throw new IllegalArgumentException("unsupported " + Scope.type(scope));
      }
      return send.send(Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
          .thenCompose(v -> send.send(Events.body("hi from " + scope.get(Scope.ROOT_PATH))));
    }
  }

  private String serve(String appParam, String mapping, String path) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/shop");
    ctx.setInitParameter("pagi.app", appParam);
    if (mapping != null) {
      ctx.setInitParameter("pagi.mapping", mapping);
    }
    ctx.addServletContainerInitializer(new PagiInitializer());
    server.setHandler(ctx);
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } finally {
      server.stop();
    }
  }

  @Test
  void contextParamNamesTheAppClass() throws Exception {
    assertEquals("hi from /shop", serve(Hello.class.getName(), null, "/shop/x"));
  }

  @Test
  void contextParamNamesAStaticFactoryAndAPrefixMapping() throws Exception {
    assertEquals(
        "hi from /shop/api", serve(Hello.class.getName() + "::create", "/api/*", "/shop/api/x"));
  }
}
