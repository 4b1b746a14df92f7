package dev.pagi.bench;

import dev.pagi.Events;
import dev.pagi.servlet.PagiConfig;
import dev.pagi.servlet.PagiServlet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One Jetty 12 serving both sides of every scenario on 127.0.0.1 (h1 + h2c on one port): {@code
 * /pagi/*} the adapter, {@code /pagi-reuse/*} the adapter with {@code reuseReadBuffer}, {@code
 * /plain/*} the plain async servlet ({@code /plain/sse} the plain SSE stream), {@code /plain-ws}
 * the plain WebSocket endpoint, {@code /spring/*} Spring MVC, {@code /admin/*} measurements. Prints
 * {@code PORT=<n>} once listening; stops on stdin EOF or SIGTERM.
 */
public final class BenchServer {
  private BenchServer() {}

  /**
   * @param args {@code [port]}, 0 (default) for any free port
   * @throws Exception when Jetty cannot start
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Broadcaster<Map<String, Object>> pagiSse = new Broadcaster<>("pagi", 100, Events::sseSend);
    Broadcaster<Set<ResponseBodyEmitter.DataWithMediaType>> springSse =
        new Broadcaster<>("spring", 100, data -> SseEmitter.event().data(data).build());
    Broadcaster<byte[]> plainSse = new Broadcaster<>("plain", 100, PlainSse::encode);
    SpringSse.broadcaster = springSse;

    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
    h2c.setMaxConcurrentStreams(20_000);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http), h2c);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);

    ServletContextHandler ctx = new ServletContextHandler("/");
    PagiServlet pagi =
        new PagiServlet(
            new BenchApp(pagiSse),
            PagiConfig.builder()
                .lifespanMode(PagiConfig.LifespanMode.OFF)
                .maxBodySize(1L << 30)
                .build());
    ServletHolder pagiHolder = new ServletHolder(pagi);
    pagiHolder.setAsyncSupported(true);
    pagiHolder.setInitOrder(1);
    ctx.addServlet(pagiHolder, "/pagi/*");
    // The same app with request-body buffer reuse, for the upload scenario's third column.
    ServletHolder reuseHolder =
        new ServletHolder(
            new PagiServlet(
                new BenchApp(pagiSse),
                PagiConfig.builder()
                    .lifespanMode(PagiConfig.LifespanMode.OFF)
                    .maxBodySize(1L << 30)
                    .reuseReadBuffer(true)
                    .build()));
    reuseHolder.setAsyncSupported(true);
    reuseHolder.setInitOrder(1);
    ctx.addServlet(reuseHolder, "/pagi-reuse/*");
    ServletHolder plain = new ServletHolder(new PlainServlet());
    plain.setAsyncSupported(true);
    ctx.addServlet(plain, "/plain/*");
    ServletHolder plainSseHolder = new ServletHolder(new PlainSse(plainSse));
    plainSseHolder.setAsyncSupported(true);
    ctx.addServlet(plainSseHolder, "/plain/sse");

    AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
    spring.register(SpringSse.class);
    ServletHolder dispatcher = new ServletHolder(new DispatcherServlet(spring));
    dispatcher.setAsyncSupported(true);
    dispatcher.setInitOrder(2);
    ctx.addServlet(dispatcher, "/spring/*");

    ctx.addServlet(
        new ServletHolder(new AdminServlet(pagi, pagiSse, springSse, plainSse)), "/admin/*");
    JakartaWebSocketServletContainerInitializer.configure(
        ctx, (servletContext, container) -> container.addEndpoint(PlainEcho.class));
    server.setHandler(ctx);
    server.setStopAtShutdown(true);
    server.start();
    System.out.println("PORT=" + connector.getLocalPort());
    System.out.flush();
    // The driver closes our stdin to stop us.
    while (System.in.read() >= 0) {
      // keep reading until EOF
    }
    server.stop();
    pagiSse.close();
    springSse.close();
    plainSse.close();
  }
}
