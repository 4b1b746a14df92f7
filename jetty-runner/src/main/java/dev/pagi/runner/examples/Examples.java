package dev.pagi.runner.examples;

import dev.pagi.PagiApp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The example apps by their short names, as {@code --app NAME} selects them: {@code demo} (the
 * default page), {@code hello}, {@code streaming}, {@code request-body}, {@code websocket-echo},
 * {@code sse-broadcaster}, {@code lifespan-state}, {@code fullflush}, {@code tls-info}, {@code
 * flow-control}. Each is also a public class with a no-arg constructor in this package.
 */
public final class Examples {
  private Examples() {}

  private static final Map<String, Supplier<PagiApp>> APPS = new LinkedHashMap<>();

  static {
    APPS.put("demo", Demo::new);
    APPS.put("hello", Hello::new);
    APPS.put("streaming", Streaming::new);
    APPS.put("request-body", RequestBody::new);
    APPS.put("websocket-echo", WebSocketEcho::new);
    APPS.put("sse-broadcaster", SseBroadcaster::new);
    APPS.put("lifespan-state", LifespanState::new);
    APPS.put("fullflush", Fullflush::new);
    APPS.put("tls-info", TlsInfo::new);
    APPS.put("flow-control", FlowControl::new);
  }

  /**
   * @param name a short name
   * @return a new instance of that example, or null when there is none by that name
   */
  public static PagiApp byName(String name) {
    Supplier<PagiApp> s = APPS.get(name);
    return s == null ? null : s.get();
  }

  /**
   * @return the short names, in documentation order
   */
  public static Iterable<String> names() {
    return APPS.keySet();
  }
}
