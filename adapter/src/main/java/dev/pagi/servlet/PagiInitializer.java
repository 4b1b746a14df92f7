package dev.pagi.servlet;

import dev.pagi.PagiApp;
import dev.pagi.internal.AppLoader;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Registers a {@link PagiServlet} in a WAR without a {@code web.xml}: when the context-param {@code
 * pagi.app} is set, or the WAR lists exactly one application in {@code
 * META-INF/services/dev.pagi.PagiApp}, a servlet named {@code pagi} is added with async support,
 * load-on-startup 1, mapped at the context-param {@code pagi.mapping} (default {@code /*}). A WAR
 * that declares a {@code PagiServlet} itself (web.xml or annotations) is left alone.
 */
public class PagiInitializer implements ServletContainerInitializer {
  private static final Logger LOG = Logger.getLogger(PagiInitializer.class.getName());

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext ctx) throws ServletException {
    for (ServletRegistration reg : ctx.getServletRegistrations().values()) {
      if (PagiServlet.class.getName().equals(reg.getClassName())) {
        return;
      }
    }
    boolean named = ctx.getInitParameter(AppLoader.APP_PARAM) != null;
    if (!named && !ServiceLoader.load(PagiApp.class, ctx.getClassLoader()).iterator().hasNext()) {
      return;
    }
    ServletRegistration.Dynamic reg = ctx.addServlet("pagi", PagiServlet.class);
    if (reg == null) {
      LOG.warning("A servlet named 'pagi' already exists; PagiServlet not registered");
      return;
    }
    reg.setAsyncSupported(true);
    reg.setLoadOnStartup(1);
    String mapping = ctx.getInitParameter("pagi.mapping");
    reg.addMapping(mapping == null ? "/*" : mapping);
  }
}
