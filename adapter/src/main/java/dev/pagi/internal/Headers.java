package dev.pagi.internal;

import dev.pagi.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the {@code headers} field of an outbound event into validated {@link Header}s. This is the
 * single guard between application data and the wire for header bytes: CR, LF and NUL anywhere, or
 * any other control character in a name, fail the send.
 */
public final class Headers {
  private Headers() {}

  /**
   * @param eventType for messages
   * @param field the field name, for messages
   * @param value the field value (null means none)
   * @return the headers, validated
   * @throws dev.pagi.ProtocolException when the shape or a byte is invalid
   */
  public static List<Header> parse(String eventType, String field, Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw Messages.fieldType(eventType, field, "a list of headers", value);
    }
    List<Header> out = new ArrayList<>(list.size());
    for (Object item : list) {
      Header h = toHeader(eventType, field, item);
      validate(eventType, h);
      out.add(h);
    }
    return out;
  }

  private static Header toHeader(String eventType, String field, Object item) {
    if (item instanceof Header h) {
      return h;
    }
    Object name;
    Object value;
    if (item instanceof List<?> pair && pair.size() == 2) {
      name = pair.get(0);
      value = pair.get(1);
    } else if (item instanceof Object[] pair && pair.length == 2) {
      name = pair[0];
      value = pair[1];
    } else {
      throw Messages.fieldType(eventType, field, "[name, value] pairs", item);
    }
    return new Header(
        bytesOrString(eventType, field, name), bytesOrString(eventType, field, value));
  }

  private static String bytesOrString(String eventType, String field, Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof byte[] b) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
    throw Messages.fieldType(eventType, field, "header names and values as String or byte[]", v);
  }

  /**
   * @param eventType for messages
   * @param h a header
   * @throws dev.pagi.ProtocolException when a byte must not reach the wire
   */
  public static void validate(String eventType, Header h) {
    String name = h.name();
    if (name.isEmpty()) {
      throw Messages.invalid(eventType, "Invalid header name: empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x21 || c == 0x7f || c > 0xff || c == ':') {
        throw Messages.invalid(
            eventType,
            "Invalid header name '"
                + printable(name)
                + "': contains a control, space, colon or non-byte character");
      }
    }
    String value = h.value();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw Messages.invalid(
            eventType, "Invalid value of header '" + name + "': contains CR, LF, or NUL");
      }
      if (c > 0xff) {
        throw Messages.invalid(
            eventType,
            "Invalid value of header '"
                + name
                + "': character U+"
                + Integer.toHexString(c)
                + " is not a byte; encode values as ISO-8859-1 bytes");
      }
    }
  }

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
