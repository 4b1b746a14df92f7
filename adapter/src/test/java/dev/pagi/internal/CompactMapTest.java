package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CompactMapTest {
  private static Map<String, Object> source() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "sse");
    m.put("path", "/events");
    m.put("state", null);
    m.put("headers", List.of());
    return m;
  }

  @Test
  void sameEntriesInTheSameOrder() {
    Map<String, Object> m = CompactMap.copyOf(source());
    assertEquals(source(), m);
    assertEquals(m, source());
    assertEquals(source().hashCode(), m.hashCode());
    assertEquals(List.of("type", "path", "state", "headers"), new ArrayList<>(m.keySet()));
    assertEquals(4, m.size());
  }

  @Test
  void lookupsByEqualKeysAndAbsentKeys() {
    Map<String, Object> m = CompactMap.copyOf(source());
    assertEquals("/events", m.get(new String("path".toCharArray())));
    assertTrue(m.containsKey("state"));
    assertNull(m.get("state"));
    assertFalse(m.containsKey("query_string"));
    assertNull(m.get("query_string"));
    assertNull(m.get(null));
    assertEquals("dflt", m.getOrDefault("nope", "dflt"));
  }

  @Test
  void cannotBeChanged() {
    Map<String, Object> m = CompactMap.copyOf(source());
    assertThrows(UnsupportedOperationException.class, () -> m.put("x", 1));
    assertThrows(UnsupportedOperationException.class, () -> m.remove("type"));
    assertThrows(UnsupportedOperationException.class, m::clear);
    assertThrows(
        UnsupportedOperationException.class, () -> m.entrySet().iterator().next().setValue(1));
    assertThrows(UnsupportedOperationException.class, () -> m.keySet().remove("type"));
    assertEquals(4, m.size());
  }
}
