package dev.pagi.tck.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagi.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON for probes: scopes and events rendered with bytes as base64 and headers as pairs. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * Renders a value (scope, event, observation) as JSON. {@code byte[]} becomes {@code {"base64":
   * "..."}} plus {@code "latin1"} for readability; a {@link Header} becomes a two-element array;
   * objects the probe cannot describe (connection, transport) become their interface names.
   *
   * @param value what to render
   * @return JSON text
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(plain(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses JSON into plain maps and lists.
   *
   * @param json the text
   * @return the value
   */
  public static Object read(String json) {
    try {
      return MAPPER.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  /**
   * Parses a JSON object.
   *
   * @param json the text
   * @return the object as a map
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String json) {
    Object v = read(json);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object but got: " + json);
    }
    return (Map<String, Object>) v;
  }

  private static Object plain(Object v) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    if (v instanceof byte[] b) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("base64", Base64.getEncoder().encodeToString(b));
      m.put("latin1", new String(b, StandardCharsets.ISO_8859_1));
      return m;
    }
    if (v instanceof Header h) {
      return List.of(h.name(), h.value());
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> m = new LinkedHashMap<>();
      map.forEach((k, val) -> m.put(String.valueOf(k), plain(val)));
      return m;
    }
    if (v instanceof Iterable<?> it) {
      List<Object> l = new ArrayList<>();
      it.forEach(x -> l.add(plain(x)));
      return l;
    }
    for (Class<?> i : v.getClass().getInterfaces()) {
      if (i.getPackageName().equals("dev.pagi")) {
        return "<" + i.getSimpleName() + ">";
      }
    }
    return String.valueOf(v);
  }
}
