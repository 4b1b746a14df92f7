package dev.pagi.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The map behind every scope and every event the {@link dev.pagi.Events} builders make:
 * insertion-ordered like {@code LinkedHashMap}, but one array of keys and values instead of a hash
 * table and an entry object per key. Scopes and events hold a handful to a few dozen keys, mostly
 * looked up by the constant key strings themselves, so a scan (by identity first) beats hashing
 * into a table and allocates a fraction. Null keys and values are allowed, as in {@code HashMap}.
 *
 * <p>Not synchronized; callers publish it safely after building it, as with any map.
 */
public final class ArrayMap extends AbstractMap<String, Object> {
  // Key at 2i, value at 2i + 1.
  private Object[] kv;
  private int size;

  /** A map with room for a scope's keys. */
  public ArrayMap() {
    this(20);
  }

  /**
   * @param capacity the number of keys it holds before it grows
   */
  public ArrayMap(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("Expected a capacity >= 0 but got " + capacity);
    }
    kv = new Object[capacity * 2];
  }

  private int indexOf(Object key) {
    int n = size * 2;
    for (int i = 0; i < n; i += 2) {
      if (kv[i] == key) {
        return i;
      }
    }
    if (key != null) {
      for (int i = 0; i < n; i += 2) {
        if (key.equals(kv[i])) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : kv[i + 1];
  }

  @Override
  public Object put(String key, Object value) {
    int i = indexOf(key);
    if (i >= 0) {
      Object old = kv[i + 1];
      kv[i + 1] = value;
      return old;
    }
    add(key, value);
    return null;
  }

  /**
   * Drops the spare capacity: for a scope that lives as long as its stream (SSE), where the
   * builder's room for a few more keys would be kept per stream. Keys can still be added later.
   */
  void trim() {
    if (kv.length > size * 2) {
      kv = Arrays.copyOf(kv, size * 2);
    }
  }

  /**
   * Appends a key the caller knows is absent (a builder's fixed keys): no scan.
   *
   * @param key a key not in the map
   * @param value its value
   */
  public void add(String key, Object value) {
    assert indexOf(key) < 0 : key;
    if (size * 2 == kv.length) {
      kv = Arrays.copyOf(kv, Math.max(8, kv.length * 2));
    }
    kv[size * 2] = key;
    kv[size * 2 + 1] = value;
    size++;
  }

  @Override
  public Object remove(Object key) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    Object old = kv[i + 1];
    removeAt(i / 2);
    return old;
  }

  private void removeAt(int index) {
    int i = index * 2;
    System.arraycopy(kv, i + 2, kv, i, size * 2 - i - 2);
    size--;
    kv[size * 2] = null;
    kv[size * 2 + 1] = null;
  }

  @Override
  public void clear() {
    Arrays.fill(kv, 0, size * 2, null);
    size = 0;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;
          private int last = -1;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            last = next++;
            return new Entry(last);
          }

          @Override
          public void remove() {
            if (last < 0) {
              throw new IllegalStateException();
            }
            removeAt(last);
            next = last;
            last = -1;
          }
        };
      }
    };
  }

  /** A view of one position; valid until the map is structurally changed. */
  private final class Entry implements Map.Entry<String, Object> {
    private final int index;

    Entry(int index) {
      this.index = index;
    }

    @Override
    public String getKey() {
      return (String) kv[index * 2];
    }

    @Override
    public Object getValue() {
      return kv[index * 2 + 1];
    }

    @Override
    public Object setValue(Object value) {
      Object old = kv[index * 2 + 1];
      kv[index * 2 + 1] = value;
      return old;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e
          && Objects.equals(getKey(), e.getKey())
          && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return getKey() + "=" + getValue();
    }
  }
}
