package dev.pagi.internal;

import dev.pagi.ProtocolException;

/** Every protocol-misuse message, built in one place so they read alike. */
public final class Messages {
  private Messages() {}

  /** {@code Unrecognized event type 'x' for http protocol (expected one of ...)}. */
  public static ProtocolException unrecognized(String type, String scopeType, String expected) {
    return new ProtocolException(
        "Unrecognized event type '"
            + type
            + "' for "
            + scopeType
            + " protocol; expected one of "
            + expected);
  }

  /** {@code Expected 'a' but got 'b'}. */
  public static ProtocolException expected(String expected, String got) {
    return new ProtocolException("Expected '" + expected + "' but got '" + got + "'");
  }

  /** {@code Cannot send 'a' after 'b'}. */
  public static ProtocolException after(String type, String after) {
    return new ProtocolException("Cannot send '" + type + "' after '" + after + "'");
  }

  /** {@code Cannot receive after 'x': why}. */
  public static ProtocolException receiveAfter(String after, String why) {
    return new ProtocolException("Cannot receive after '" + after + "': " + why);
  }

  /** A required field is missing. */
  public static ProtocolException missing(String type, String field, String expected) {
    return new ProtocolException(
        "Expected field '" + field + "' (" + expected + ") in '" + type + "' but it is missing");
  }

  /** A field has the wrong type or value. */
  public static ProtocolException fieldType(
      String type, String field, String expected, Object got) {
    return new ProtocolException(
        "Expected field '"
            + field
            + "' of '"
            + type
            + "' to be "
            + expected
            + " but got "
            + describe(got));
  }

  /** A value that must not reach the wire. */
  public static ProtocolException invalid(String type, String detail) {
    return new ProtocolException(detail + " (in '" + type + "')");
  }

  /** Neither or both of two alternative fields. */
  public static ProtocolException exactlyOne(String type, String a, String b, boolean both) {
    return new ProtocolException(
        "Expected exactly one of '"
            + a
            + "' and '"
            + b
            + "' in '"
            + type
            + "' but got "
            + (both ? "both" : "neither"));
  }

  /** A partial WebSocket message is open where a whole one, or another kind, was sent. */
  public static ProtocolException partialOpen(String type, String openKind) {
    return new ProtocolException(
        "Cannot send '"
            + type
            + "' while a partial "
            + openKind
            + " message is open; end it with 'websocket.send.partial' and 'more': 0");
  }

  /** A fragment of the other kind continues a partial WebSocket message. */
  public static ProtocolException partialKind(String openKind, String got) {
    return new ProtocolException(
        "Expected '"
            + openKind
            + "' to continue the partial "
            + (openKind.equals("text") ? "text" : "binary")
            + " message but got '"
            + got
            + "'");
  }

  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String s = String.valueOf(v);
    if (s.length() > 40) {
      s = s.substring(0, 40) + "...";
    }
    return v.getClass().getSimpleName() + " " + Headers.printable(s);
  }
}
