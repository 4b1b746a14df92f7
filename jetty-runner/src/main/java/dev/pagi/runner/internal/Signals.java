package dev.pagi.runner.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SIGTERM and SIGINT handlers through {@code sun.misc.Signal} (module jdk.unsupported, exported for
 * exactly this), reached reflectively so the build has no internal-API warnings. With a handler the
 * JVM does not start exiting on the signal, so the launcher can stop gracefully and exit with 0
 * rather than 143 or 130. Where the class is missing, the caller's shutdown hook still stops the
 * server.
 */
public final class Signals {
  private static final Logger LOG = Logger.getLogger(Signals.class.getName());

  private Signals() {}

  /**
   * @param action run (on a JVM signal thread) for each SIGTERM or SIGINT
   * @return whether the handlers were installed
   */
  public static boolean onTermination(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      InvocationHandler ih =
          (Object proxy, Method method, Object[] args) -> {
            switch (method.getName()) {
              case "handle" -> action.run();
              case "hashCode" -> {
                return System.identityHashCode(proxy);
              }
              case "equals" -> {
                return proxy == args[0];
              }
              case "toString" -> {
                return "pagi-termination-handler";
              }
              default -> {}
            }
            return null;
          };
      Object handler =
          Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType}, ih);
      Method handle = signal.getMethod("handle", signal, handlerType);
      for (String name : new String[] {"TERM", "INT"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(Level.FINE, "signal handlers unavailable; relying on the shutdown hook", e);
      return false;
    }
  }
}
