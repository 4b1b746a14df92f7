package dev.pagi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adapter's classes loaded without Jackson (and without anything but the servlet API): they
 * link, and the {@link Sse} helper works with a supplied encoder and explains what is missing
 * without one.
 */
@Timeout(10)
class SseWithoutJacksonTest {

  private static URL location(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  private static URLClassLoader isolated() {
    return new URLClassLoader(
        new URL[] {location(Sse.class), location(jakarta.servlet.http.HttpServlet.class)},
        ClassLoader.getPlatformClassLoader());
  }

  @Test
  void theAdapterLinksWithoutJackson() throws Exception {
    try (URLClassLoader loader = isolated()) {
      assertThrows(
          ClassNotFoundException.class,
          () -> loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"));
      for (String name :
          List.of(
              "dev.pagi.servlet.PagiServlet",
              "dev.pagi.internal.SseExchange",
              "dev.pagi.internal.JsonEncoders",
              "dev.pagi.Sse",
              "dev.pagi.EventSourceApp")) {
        Class.forName(name, true, loader);
      }
    }
  }

  @Test
  void sseWorksWithASuppliedEncoderAndExplainsTheMissingDefault() throws Exception {
    try (URLClassLoader loader = isolated()) {
      List<Map<?, ?>> sent = new CopyOnWriteArrayList<>();
      Object send = proxy(loader, "dev.pagi.Send", args -> record(sent, args[0]));
      Object receive = proxy(loader, "dev.pagi.Receive", args -> new CompletableFuture<>());
      Class<?> sseClass = loader.loadClass("dev.pagi.Sse");
      Object sse =
          sseClass
              .getConstructor(
                  Map.class,
                  loader.loadClass("dev.pagi.Receive"),
                  loader.loadClass("dev.pagi.Send"))
              .newInstance(Map.of("type", "sse", "path", "/"), receive, send);

      CompletionStage<?> plain =
          (CompletionStage<?>) sseClass.getMethod("send", String.class).invoke(sse, "hello");
      plain.toCompletableFuture().get();
      assertEquals("hello", sent.get(1).get("data"));

      CompletionStage<?> json =
          (CompletionStage<?>) sseClass.getMethod("sendJson", Object.class).invoke(sse, Map.of());
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> json.toCompletableFuture().get());
      assertEquals(
          "No JSON encoder: put com.fasterxml.jackson.core:jackson-databind on the class path or"
              + " set one with Sse.jsonEncoder(...)",
          e.getCause().getMessage());

      Function<Object, String> encoder = v -> "json:" + v;
      sseClass.getMethod("jsonEncoder", Function.class).invoke(sse, encoder);
      CompletionStage<?> encoded =
          (CompletionStage<?>) sseClass.getMethod("sendJson", Object.class).invoke(sse, 5);
      encoded.toCompletableFuture().get();
      assertEquals("json:5", sent.get(2).get("data"));
    }
  }

  private static CompletableFuture<Void> record(List<Map<?, ?>> sent, Object event) {
    sent.add((Map<?, ?>) event);
    return CompletableFuture.completedFuture(null);
  }

  private interface Body {
    Object call(Object[] args);
  }

  private static Object proxy(ClassLoader loader, String iface, Body body) throws Exception {
    Class<?> type = loader.loadClass(iface);
    InvocationHandler h =
        (Object p, Method m, Object[] args) -> {
          if (m.getDeclaringClass() == Object.class) {
            return m.getName().equals("toString") ? iface : m.invoke(body, args);
          }
          return body.call(args == null ? new Object[0] : args);
        };
    return Proxy.newProxyInstance(loader, new Class<?>[] {type}, h);
  }
}
