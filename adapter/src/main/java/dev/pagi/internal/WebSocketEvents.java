package dev.pagi.internal;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.ProtocolException;
import java.util.List;
import java.util.Map;

/**
 * Validates outbound {@code websocket.*} events into typed values. Every failure is a {@link
 * ProtocolException} built by {@link Messages}; nothing here touches connection state.
 */
final class WebSocketEvents {
  private WebSocketEvents() {}

  /** Largest Close reason: a control frame holds 125 bytes, two of them the code. */
  static final int MAX_CLOSE_REASON = 123;

  record Accept(String subprotocol, List<Header> headers) {}

  /** A message or fragment: exactly one of {@code text} and {@code bytes}. */
  record Data(String text, byte[] bytes, long size, boolean more) {
    String kind() {
      return text != null ? "text" : "bytes";
    }
  }

  record Close(int code, String reason) {}

  record Keepalive(double interval, double timeout) {}

  record DenyStart(int status, List<Header> headers) {}

  record DenyBody(byte[] body, boolean more) {}

  static Accept accept(Map<String, Object> e, List<String> offered) {
    String type = Events.WEBSOCKET_ACCEPT;
    String sub = Fields.string(e, type, "subprotocol");
    List<Header> headers = Headers.parse(type, "headers", e.get("headers"));
    if (sub != null) {
      for (int i = 0; i < sub.length(); i++) {
        char c = sub.charAt(i);
        if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
          throw Messages.invalid(
              type,
              "Invalid subprotocol '"
                  + Headers.printable(sub)
                  + "': contains a control, space, separator or non-ASCII character");
        }
      }
      if (sub.isEmpty() || !offered.contains(sub)) {
        throw Messages.fieldType(
            type, "subprotocol", "one of the subprotocols the client offered " + offered, sub);
      }
    }
    return new Accept(sub, headers);
  }

  static Data send(Map<String, Object> e) {
    return data(e, Events.WEBSOCKET_SEND, false);
  }

  static Data partial(Map<String, Object> e) {
    return data(e, Events.WEBSOCKET_SEND_PARTIAL, true);
  }

  private static Data data(Map<String, Object> e, String type, boolean partial) {
    Object t = e.get("text");
    Object b = e.get("bytes");
    if ((t == null) == (b == null)) {
      throw Messages.exactlyOne(type, "text", "bytes", t != null);
    }
    boolean more = partial && Fields.flag(e, type, "more");
    if (t != null) {
      String text = Fields.string(e, type, "text");
      wellFormed(type, "text", text, more);
      return new Data(text, null, utf8Length(text), more);
    }
    if (!(b instanceof byte[] bytes)) {
      throw Messages.fieldType(type, "bytes", "byte[]", b);
    }
    return new Data(null, bytes, bytes.length, more);
  }

  static Close close(Map<String, Object> e) {
    String type = Events.WEBSOCKET_CLOSE;
    long code = Fields.integer(e, type, "code", 1000L);
    if (!sendableCloseCode(code)) {
      throw Messages.fieldType(
          type, "code", "a close code 1000-1003, 1007-1014 or 3000-4999", e.get("code"));
    }
    String reason = Fields.string(e, type, "reason");
    if (reason == null) {
      reason = "";
    }
    wellFormed(type, "reason", reason, false);
    long length = utf8Length(reason);
    if (length > MAX_CLOSE_REASON) {
      throw Messages.invalid(
          type,
          "Invalid close 'reason': "
              + length
              + " bytes as UTF-8 but a Close frame holds at most "
              + MAX_CLOSE_REASON);
    }
    return new Close((int) code, reason);
  }

  static Keepalive keepalive(Map<String, Object> e) {
    String type = Events.WEBSOCKET_KEEPALIVE;
    double interval = Fields.seconds(e, type, "interval");
    double timeout = e.get("timeout") == null ? 0 : Fields.seconds(e, type, "timeout");
    return new Keepalive(interval, timeout);
  }

  static DenyStart denyStart(Map<String, Object> e) {
    String type = Events.WEBSOCKET_HTTP_RESPONSE_START;
    long status = Fields.integer(e, type, "status", null);
    if (status < 200 || status > 999) {
      throw Messages.fieldType(type, "status", "a final HTTP status 200-999", e.get("status"));
    }
    return new DenyStart((int) status, Headers.parse(type, "headers", e.get("headers")));
  }

  static DenyBody denyBody(Map<String, Object> e) {
    String type = Events.WEBSOCKET_HTTP_RESPONSE_BODY;
    return new DenyBody(Fields.bytes(e, type, "body"), Fields.flag(e, type, "more"));
  }

  /** Codes an endpoint may put in a Close frame (RFC 6455 7.4, IANA registry). */
  static boolean sendableCloseCode(long code) {
    return code >= 1000 && code <= 1003
        || code >= 1007 && code <= 1014
        || code >= 3000 && code <= 4999;
  }

  /** UTF-8 length without encoding; assumes well-formed surrogate pairs. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Rejects unpaired surrogates, which have no UTF-8 form. A fragment with more to come must not
   * end inside a surrogate pair either, because each fragment is encoded on its own.
   */
  private static void wellFormed(String type, String field, String s, boolean more) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      if (Character.isSurrogate(c)) {
        String where =
            more && i == s.length() - 1
                ? "; split text fragments between code points"
                : "; text must be well-formed Unicode";
        throw Messages.invalid(
            type,
            "Invalid '"
                + field
                + "': unpaired surrogate U+"
                + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                + " at index "
                + i
                + where);
      }
    }
  }
}
