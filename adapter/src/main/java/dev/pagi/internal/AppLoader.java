package dev.pagi.internal;

import dev.pagi.PagiApp;
import jakarta.servlet.ServletConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the application of a container-created servlet: init-param, then ServiceLoader. */
public final class AppLoader {
  private AppLoader() {}

  /** The init-param (or context-param) naming the application. */
  public static final String APP_PARAM = "pagi.app";

  /**
   * @param sc the servlet config
   * @return the application
   * @throws IllegalArgumentException with a message saying what was expected
   */
  public static PagiApp load(ServletConfig sc) {
    String name = sc.getInitParameter(APP_PARAM);
    if (name == null) {
      name = sc.getServletContext().getInitParameter(APP_PARAM);
    }
    ClassLoader cl = sc.getServletContext().getClassLoader();
    if (cl == null) {
      cl = Thread.currentThread().getContextClassLoader();
    }
    if (cl == null) {
      cl = AppLoader.class.getClassLoader();
    }
    if (name != null) {
      return instantiate(name.trim(), cl);
    }
    List<PagiApp> found = new ArrayList<>();
    ServiceLoader.load(PagiApp.class, cl).forEach(found::add);
    if (found.size() == 1) {
      return found.get(0);
    }
    throw new IllegalArgumentException(
        found.isEmpty()
            ? "Expected a PAGI application: set init-param 'pagi.app' or list one in"
                + " META-INF/services/dev.pagi.PagiApp"
            : "Expected one PAGI application in META-INF/services/dev.pagi.PagiApp but found "
                + found.size()
                + "; set init-param 'pagi.app' to choose");
  }

  /**
   * @param spec {@code com.example.App} (public no-arg constructor) or {@code
   *     com.example.Apps::factory} (public static no-arg method returning a PagiApp)
   * @param cl where to load it from
   * @return the application
   */
  public static PagiApp instantiate(String spec, ClassLoader cl) {
    int sep = spec.indexOf("::");
    String className = sep < 0 ? spec : spec.substring(0, sep);
    try {
      Class<?> cls = Class.forName(className, true, cl);
      Object app;
      if (sep >= 0) {
        Method m = cls.getMethod(spec.substring(sep + 2));
        if (!Modifier.isStatic(m.getModifiers())) {
          throw new IllegalArgumentException(
              "Expected '" + spec + "' to name a static method but it is an instance method");
        }
        app = m.invoke(null);
      } else {
        app = cls.getConstructor().newInstance();
      }
      if (!(app instanceof PagiApp p)) {
        throw new IllegalArgumentException(
            "Expected '" + spec + "' to give a dev.pagi.PagiApp but got " + typeOf(app));
      }
      return p;
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("PAGI application class not found: " + className, e);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "Expected '"
              + spec
              + "' to have a public no-arg "
              + (sep < 0 ? "constructor" : "static method"),
          e);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException(
          "Cannot create PAGI application '" + spec + "': " + cause, e);
    }
  }

  private static String typeOf(Object o) {
    return o == null ? "null" : o.getClass().getName();
  }
}
