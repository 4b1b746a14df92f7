package dev.pagi.examples;

import dev.pagi.PagiApp;
import dev.pagi.servlet.PagiConfig;
import dev.pagi.servlet.PagiServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 (HTTP/1.1 and h2c, Jakarta WebSocket initialised) serving one example. {@code
 * java dev.pagi.examples.ExampleServer echo|chat [port]}.
 */
public final class ExampleServer {
  private ExampleServer() {}

  /**
   * @param app the application
   * @param port the port, 0 for any free one
   * @return a started server on 127.0.0.1
   * @throws Exception when Jetty cannot start
   */
  public static Server createServer(PagiApp app, int port) throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    ServerConnector connector =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ServletHolder holder =
        new ServletHolder(
            new PagiServlet(
                app, PagiConfig.builder().lifespanMode(PagiConfig.LifespanMode.OFF).build()));
    holder.setAsyncSupported(true);
    holder.setInitOrder(1);
    ctx.addServlet(holder, "/*");
    JakartaWebSocketServletContainerInitializer.configure(ctx, null);
    server.setHandler(ctx);
    server.start();
    return server;
  }

  /**
   * @param args {@code echo} or {@code chat}, then an optional port (default 8080)
   * @throws Exception when Jetty cannot start
   */
  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "echo";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    PagiApp app = which.equals("chat") ? new ChatRoom() : Echo.app();
    createServer(app, port).join();
  }
}
