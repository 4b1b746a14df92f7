package dev.pagi.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An unmodifiable map in insertion order, held in one array of keys and values. A scope that lives
 * as long as its stream (SSE) costs about a fifth of the {@code LinkedHashMap} it was built in;
 * lookups scan the dozen or so keys, which are mostly the same constant strings.
 */
final class CompactMap extends AbstractMap<String, Object> {
  private final Object[] keysAndValues;

  private CompactMap(Object[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  /**
   * @param map the entries, in its iteration order
   * @return an unmodifiable copy
   */
  static Map<String, Object> copyOf(Map<String, Object> map) {
    Object[] kv = new Object[map.size() * 2];
    int i = 0;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      kv[i++] = e.getKey();
      kv[i++] = e.getValue();
    }
    return new CompactMap(kv);
  }

  private int indexOf(Object key) {
    Object[] kv = keysAndValues;
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i] == key) {
        return i;
      }
    }
    if (key != null) {
      for (int i = 0; i < kv.length; i += 2) {
        if (key.equals(kv[i])) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : keysAndValues[i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return keysAndValues.length / 2;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keysAndValues.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Object> e =
                new SimpleImmutableEntry<>((String) keysAndValues[next], keysAndValues[next + 1]);
            next += 2;
            return e;
          }
        };
      }

      @Override
      public int size() {
        return CompactMap.this.size();
      }
    };
  }
}
