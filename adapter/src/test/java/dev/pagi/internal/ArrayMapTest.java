package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ArrayMapTest {
  private final ArrayMap map = new ArrayMap();

  @Test
  void keepsInsertionOrderAndReplacesInPlace() {
    map.put("type", "http");
    map.put("path", "/a");
    map.put("method", "GET");
    assertEquals("/a", map.put("path", "/b"));
    assertEquals(List.of("type", "path", "method"), new ArrayList<>(map.keySet()));
    assertEquals(List.of("http", "/b", "GET"), new ArrayList<>(map.values()));
  }

  @Test
  void trimKeepsEntriesAndStillAcceptsNewKeys() {
    map.put("type", "sse");
    map.put("path", "/events");
    map.trim();
    assertEquals(Map.of("type", "sse", "path", "/events"), map);
    map.put("state", null);
    map.trim();
    map.trim();
    map.put("headers", List.of());
    assertEquals(List.of("type", "path", "state", "headers"), new ArrayList<>(map.keySet()));
    assertTrue(map.containsKey("state"));
    map.clear();
    map.trim();
    map.put("type", "http");
    assertEquals(Map.of("type", "http"), map);
  }

  @Test
  void addAppendsLikePutForNewKeys() {
    map.add("type", "http");
    map.add("path", "/");
    map.put("type", "sse");
    assertEquals(Map.of("type", "sse", "path", "/"), map);
    assertEquals(List.of("type", "path"), new ArrayList<>(map.keySet()));
  }

  @Test
  void findsKeysThatAreEqualButNotTheSameString() {
    map.put("root_path", "/api");
    String key = new String("root_path");
    assertEquals("/api", map.get(key));
    assertTrue(map.containsKey(key));
    assertFalse(map.containsKey("root"));
    assertNull(map.get("missing"));
    assertNull(map.get(null));
  }

  @Test
  void growsPastItsInitialSizeAndEqualsTheSameLinkedHashMap() {
    Map<String, Object> expected = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      map.put("k" + i, i);
      expected.put("k" + i, i);
    }
    assertEquals(50, map.size());
    assertEquals(expected, map);
    assertEquals(map, expected);
    assertEquals(expected.hashCode(), map.hashCode());
    assertEquals(expected.toString(), map.toString());
    assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(map.entrySet()));
  }

  @Test
  void removeShiftsTheRestAndKeepsOrder() {
    map.put("a", 1);
    map.put("b", 2);
    map.put("c", 3);
    assertEquals(2, map.remove("b"));
    assertNull(map.remove("b"));
    map.put("d", 4);
    assertEquals(List.of("a", "c", "d"), new ArrayList<>(map.keySet()));
    assertNull(map.get("b"));
  }

  @Test
  void iteratorRemoveAndEntrySetValueWriteThrough() {
    map.put("a", 1);
    map.put("b", 2);
    map.put("c", 3);
    Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator();
    assertThrows(IllegalStateException.class, it::remove);
    it.next().setValue(10);
    it.next();
    it.remove();
    assertEquals("c", it.next().getKey());
    assertFalse(it.hasNext());
    assertEquals(Map.of("a", 10, "c", 3), map);
    map.clear();
    assertTrue(map.isEmpty());
    assertNull(map.get("a"));
  }

  @Test
  void growsFromAnyCapacityAndRejectsANegativeOne() {
    ArrayMap small = new ArrayMap(0);
    for (int i = 0; i < 30; i++) {
      small.put("k" + i, i);
    }
    assertEquals(30, small.size());
    assertEquals(29, small.get("k29"));
    assertThrows(IllegalArgumentException.class, () -> new ArrayMap(-1));
  }
}
