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
 * The map behind every scope: insertion-ordered like {@code LinkedHashMap}, but one array of keys,
 * values and hashes instead of a hash table and an entry object per key. A scope holds a dozen or
 * two keys that are built once per request and then only read, mostly by the constant key strings
 * themselves, so a scan of cached hashes beats hashing into a table and allocates a fraction.
 *
 * <p>Not synchronized; callers publish it safely after building it, as with any map.
 */
final class ScopeMap extends AbstractMap<String, Object> {
  private static final int INITIAL = 20;

  private String[] keys;
  private Object[] values;
  private int[] hashes;
  private int size;

  ScopeMap() {
    keys = new String[INITIAL];
    values = new Object[INITIAL];
    hashes = new int[INITIAL];
  }

  private int indexOf(Object key) {
    int h = Objects.hashCode(key);
    for (int i = 0; i < size; i++) {
      if (hashes[i] == h && Objects.equals(keys[i], key)) {
        return i;
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
    return i < 0 ? null : values[i];
  }

  @Override
  public Object put(String key, Object value) {
    int i = indexOf(key);
    if (i >= 0) {
      Object old = values[i];
      values[i] = value;
      return old;
    }
    add(key, value);
    return null;
  }

  /** Appends a key the caller knows is absent (the builder's fixed keys): no scan. */
  void add(String key, Object value) {
    assert indexOf(key) < 0 : key;
    if (size == keys.length) {
      int n = size * 2;
      keys = Arrays.copyOf(keys, n);
      values = Arrays.copyOf(values, n);
      hashes = Arrays.copyOf(hashes, n);
    }
    keys[size] = key;
    values[size] = value;
    hashes[size] = Objects.hashCode(key);
    size++;
  }

  @Override
  public Object remove(Object key) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    Object old = values[i];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    int tail = size - i - 1;
    System.arraycopy(keys, i + 1, keys, i, tail);
    System.arraycopy(values, i + 1, values, i, tail);
    System.arraycopy(hashes, i + 1, hashes, i, tail);
    size--;
    keys[size] = null;
    values[size] = null;
  }

  @Override
  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
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
      return keys[index];
    }

    @Override
    public Object getValue() {
      return values[index];
    }

    @Override
    public Object setValue(Object value) {
      Object old = values[index];
      values[index] = value;
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
