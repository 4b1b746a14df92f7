package dev.pagi.servlet;

import dev.pagi.PagiApp;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Runs a {@link PagiApp} on a Servlet 6 container. Placeholder: the exchange lands with the core.
 */
public class PagiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private transient PagiApp app;
  private transient PagiConfig config;

  /** For containers: the application comes from init-params or {@code ServiceLoader}. */
  public PagiServlet() {}

  /**
   * @param app the application
   */
  public PagiServlet(PagiApp app) {
    this(app, PagiConfig.defaults());
  }

  /**
   * @param app the application
   * @param config settings; init-params are not read when given
   */
  public PagiServlet(PagiApp app, PagiConfig config) {
    this.app = Objects.requireNonNull(app, "app");
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp)
      throws ServletException, IOException {
    resp.sendError(503);
  }
}
