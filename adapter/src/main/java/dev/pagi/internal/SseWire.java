package dev.pagi.internal;

import dev.pagi.Events;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code text/event-stream} encoding of {@code sse.send} and {@code sse.comment}, and the guard
 * that keeps application strings from forging frame boundaries: a CR or LF in {@code event} or
 * {@code id}, or a {@code retry} that is not a non-negative integer, fails before any byte is
 * produced. {@code data} and comments are split into one line per segment on CRLF, LF or CR, so no
 * CR ever reaches the wire inside a line.
 */
public final class SseWire {
  private SseWire() {}

  /** Events up to this size are remembered (see {@link #event}); a larger one is not kept alive. */
  static final int REMEMBERED_MAX = 16 * 1024;

  /** The last event encoded, by the identity of its field values. */
  private record Encoded(Object data, Object name, Object id, Object retry, byte[] bytes) {
    boolean sameFields(Object data, Object name, Object id, Object retry) {
      return this.data == data && this.name == name && this.id == id && this.retry == retry;
    }
  }

  // One entry for all threads, not a ThreadLocal: nothing of this class stays on container threads
  // after an undeploy. Threads that encode different events at once only replace each other's
  // entry.
  private static volatile Encoded last;

  /**
   * Encodes an {@code sse.send}: {@code event: }, one {@code data: } line per segment, {@code id:
   * }, {@code retry: }, then a blank line. Empty {@code event} and {@code id} are left out; empty
   * {@code data} still gives one {@code data: } line so that clients dispatch the event.
   *
   * <p>A broadcaster sends the same event to many streams in a row: when the field values are the
   * very objects of the event encoded last, its bytes are returned again instead of being encoded
   * once per stream. The fields that can pass validation are all immutable ({@code String}, {@code
   * Integer}, {@code Long}, {@code BigInteger} ...), so the same objects always give the same
   * bytes. The returned array is shared and must not be modified.
   *
   * @param event the event
   * @return the UTF-8 bytes
   * @throws dev.pagi.ProtocolException when a field is missing, mistyped or unsafe
   */
  public static byte[] event(Map<String, Object> event) {
    Object data = event.get("data");
    Object name = event.get("event");
    Object id = event.get("id");
    Object retry = event.get("retry");
    Encoded previous = last;
    if (previous != null && data != null && previous.sameFields(data, name, id, retry)) {
      return previous.bytes;
    }
    byte[] bytes = encode(event);
    if (bytes.length <= REMEMBERED_MAX) {
      last = new Encoded(data, name, id, retry, bytes);
    }
    return bytes;
  }

  private static byte[] encode(Map<String, Object> event) {
    String type = Events.SSE_SEND;
    Object dataValue = event.get("data");
    if (dataValue == null) {
      throw Messages.missing(type, "data", "a String");
    }
    String data = Fields.string(event, type, "data");
    String name = Fields.string(event, type, "event");
    String id = Fields.string(event, type, "id");
    Long retry = null;
    if (event.get("retry") != null) {
      Object r = event.get("retry");
      long value = Fields.integer(event, type, "retry", 0L);
      if (value < 0) {
        throw Messages.fieldType(type, "retry", "a non-negative integer", r);
      }
      retry = value;
    }
    StringBuilder b = new StringBuilder(data.length() + 32);
    if (name != null && !name.isEmpty()) {
      singleLine(type, "event", name);
      b.append("event: ").append(name).append('\n');
    }
    lines(b, "data: ", data, false);
    if (id != null && !id.isEmpty()) {
      singleLine(type, "id", id);
      b.append("id: ").append(id).append('\n');
    }
    if (retry != null) {
      b.append("retry: ").append(retry).append('\n');
    }
    b.append('\n');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Encodes a comment: each line prefixed with {@code :} unless it already starts with one, then a
   * blank line. {@code ""} gives {@code ":\n\n"}.
   *
   * @param comment the text
   * @return the UTF-8 bytes
   */
  public static byte[] comment(String comment) {
    StringBuilder b = new StringBuilder(comment.length() + 4);
    lines(b, ":", comment, true);
    b.append('\n');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void singleLine(String type, String field, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw Messages.invalid(
          type,
          "Invalid SSE "
              + field
              + " '"
              + Headers.printable(value)
              + "': contains CR or LF, which would end the field early");
    }
  }

  /** Appends {@code prefix + segment + "\n"} per segment of {@code text}. */
  private static void lines(StringBuilder b, String prefix, String text, boolean keepColon) {
    int start = 0;
    int n = text.length();
    for (int i = 0; i <= n; i++) {
      char c = i < n ? text.charAt(i) : '\n';
      if (c != '\n' && c != '\r') {
        continue;
      }
      String segment = text.substring(start, i);
      if (!(keepColon && segment.startsWith(":"))) {
        b.append(prefix);
      }
      b.append(segment).append('\n');
      if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i++;
      }
      start = i + 1;
    }
  }
}
