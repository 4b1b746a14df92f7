package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pagi.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SseWireTest {

  private static Map<String, Object> send(Object... kv) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", "sse.send");
    for (int i = 0; i < kv.length; i += 2) {
      e.put((String) kv[i], kv[i + 1]);
    }
    return e;
  }

  private static String event(Object... kv) {
    return new String(SseWire.event(send(kv)), StandardCharsets.UTF_8);
  }

  @Test
  void dataIsSplitIntoOneLinePerSegmentOnEveryLineEnding() {
    assertEquals("data: line1\ndata: line2\ndata: line3\n\n", event("data", "line1\nline2\nline3"));
    assertEquals("data: l1\ndata: l2\n\n", event("data", "l1\r\nl2"));
    assertEquals("data: l1\ndata: l2\n\n", event("data", "l1\rl2"));
    assertEquals("data: a\ndata: b\ndata: c\ndata: d\n\n", event("data", "a\nb\r\nc\rd"));
  }

  @Test
  void trailingNewlineGivesAFinalEmptyDataLine() {
    assertEquals("data: a\ndata: \n\n", event("data", "a\n"));
    assertEquals("data: a\ndata: \n\n", event("data", "a\r\n"));
  }

  @Test
  void emptyDataStillGivesOneDataLine() {
    assertEquals("data: \n\n", event("data", ""));
  }

  @Test
  void allFieldsInOrder() {
    assertEquals(
        "event: click\ndata: x\nid: 42\nretry: 3000\n\n",
        event("data", "x", "id", "42", "retry", 3000, "event", "click"));
  }

  @Test
  void emptyEventAndIdAreLeftOut() {
    assertEquals("data: x\n\n", event("data", "x", "event", "", "id", ""));
  }

  @Test
  void retryZeroIsWritten() {
    assertEquals("data: x\nretry: 0\n\n", event("data", "x", "retry", 0L));
  }

  @Test
  void textIsUtf8() {
    assertArrayEquals(
        new byte[] {
          'd', 'a', 't', 'a', ':', ' ', (byte) 0xE2, (byte) 0x9C, (byte) 0x93, '\n', '\n'
        },
        SseWire.event(send("data", "\u2713")));
  }

  @Test
  void newlineInEventNameRaises() {
    ProtocolException e =
        assertThrows(
            ProtocolException.class, () -> SseWire.event(send("data", "x", "event", "x\ndata: y")));
    assertEquals(
        "Invalid SSE event 'x\\x0adata: y': contains CR or LF, which would end the field early"
            + " (in 'sse.send')",
        e.getMessage());
  }

  @Test
  void carriageReturnInIdRaises() {
    assertThrows(ProtocolException.class, () -> SseWire.event(send("data", "x", "id", "1\r2")));
  }

  @Test
  void negativeRetryRaises() {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> SseWire.event(send("data", "x", "retry", -1)));
    assertEquals(
        "Expected field 'retry' of 'sse.send' to be a non-negative integer but got Integer -1",
        e.getMessage());
  }

  @Test
  void nonIntegerRetryRaises() {
    assertThrows(ProtocolException.class, () -> SseWire.event(send("data", "x", "retry", 1.5)));
    assertThrows(ProtocolException.class, () -> SseWire.event(send("data", "x", "retry", "10")));
  }

  @Test
  void missingDataRaises() {
    ProtocolException e = assertThrows(ProtocolException.class, () -> SseWire.event(send()));
    assertEquals(
        "Expected field 'data' (a String) in 'sse.send' but it is missing", e.getMessage());
  }

  @Test
  void nonStringDataRaises() {
    assertThrows(ProtocolException.class, () -> SseWire.event(send("data", 42)));
  }

  @Test
  void commentLinesGetAColonUnlessTheyHaveOne() {
    assertEquals(":keepalive\n\n", comment(":keepalive"));
    assertEquals(":ping\n\n", comment("ping"));
    assertEquals(":a\n:b\n\n", comment("a\r\nb"));
    assertEquals(":a\n:b\n:c\n\n", comment("a\n:b\rc"));
    assertEquals(":\n\n", comment(""));
  }

  private static String comment(String text) {
    return new String(SseWire.comment(text), StandardCharsets.UTF_8);
  }

  @Test
  void theSameEventSentToManyStreamsIsEncodedOnce() {
    Map<String, Object> e = send("data", "tick", "id", "7");
    byte[] first = SseWire.event(e);
    assertSame(first, SseWire.event(e), "a broadcast reuses the bytes");
    assertSame(first, SseWire.event(send("data", e.get("data"), "id", e.get("id"))));
  }

  @Test
  void aChangedOrEqualButDistinctFieldIsEncodedAfresh() {
    Map<String, Object> e = send("data", "one");
    byte[] first = SseWire.event(e);
    e.put("data", "two");
    assertEquals("data: two\n\n", new String(SseWire.event(e), StandardCharsets.UTF_8));
    e.put("event", "named");
    assertEquals(
        "event: named\ndata: two\n\n", new String(SseWire.event(e), StandardCharsets.UTF_8));
    byte[] again = SseWire.event(send("data", new String("one".toCharArray())));
    assertNotSame(first, again);
    assertArrayEquals(first, again);
  }

  @Test
  void anInvalidEventIsNeverServedFromTheRememberedOne() {
    Map<String, Object> ok = send("data", "x", "event", "e");
    SseWire.event(ok);
    assertThrows(ProtocolException.class, () -> SseWire.event(send("data", "x", "event", "a\nb")));
    assertThrows(ProtocolException.class, () -> SseWire.event(send("event", "e")));
  }

  @Test
  void aLargeEventIsNotKeptAlive() {
    String big = "x".repeat(SseWire.REMEMBERED_MAX);
    Map<String, Object> e = send("data", big);
    assertNotSame(SseWire.event(e), SseWire.event(e));
  }
}
