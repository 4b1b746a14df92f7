package dev.pagi.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Typed reads of outbound event fields; each failure is a {@link Messages#fieldType} error. */
public final class Fields {
  private Fields() {}

  /** An integral number, or {@code otherwise} when absent. */
  public static long integer(Map<String, Object> e, String type, String field, Long otherwise) {
    Object v = e.get(field);
    if (v == null) {
      if (otherwise == null) {
        throw Messages.missing(type, field, "an integer");
      }
      return otherwise;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof java.math.BigInteger bi && bi.bitLength() < 64) {
      return bi.longValue();
    }
    throw Messages.fieldType(type, field, "an integer", v);
  }

  /** A 0/1 flag ({@code Number} or {@code Boolean}); absent means false. */
  public static boolean flag(Map<String, Object> e, String type, String field) {
    Object v = e.get(field);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue() != 0;
    }
    throw Messages.fieldType(type, field, "an integer flag 0 or 1", v);
  }

  /** A finite number of seconds. */
  public static double seconds(Map<String, Object> e, String type, String field) {
    Object v = e.get(field);
    if (v == null) {
      throw Messages.missing(type, field, "a number of seconds");
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d) && d >= 0) {
        return d;
      }
    }
    throw Messages.fieldType(type, field, "a non-negative finite number", v);
  }

  /** Bytes: {@code byte[]} as is, or a {@code String} encoded as UTF-8; absent means empty. */
  public static byte[] bytes(Map<String, Object> e, String type, String field) {
    Object v = e.get(field);
    if (v == null) {
      return new byte[0];
    }
    if (v instanceof byte[] b) {
      return b;
    }
    if (v instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    throw Messages.fieldType(type, field, "byte[] or String", v);
  }

  /** A string, or {@code null} when absent. */
  public static String string(Map<String, Object> e, String type, String field) {
    Object v = e.get(field);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw Messages.fieldType(type, field, "a String", v);
  }
}
