package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.suite.PagiRule.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** §2.A streaming and trailers, §4.A response framing, §8 fullflush on the wire. */
public interface HttpResponseRules extends TckSuite {

  /** RFC 9110 IMF-fixdate. */
  Pattern IMF_FIXDATE =
      Pattern.compile(
          "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
              + " \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");

  private static byte[] fileBytes(int from, int to) {
    byte[] b = new byte[to - from];
    for (int i = from; i < to; i++) {
      b[i - from] = (byte) (i % 251);
    }
    return b;
  }

  @Test
  @PagiRule(22)
  default void rule022_trailersFollowAPromisingStart() throws Exception {
    ContentResponse r = client().get("/http/response/trailers");
    assertEquals(200, r.getStatus());
    assertEquals("body", r.getContentAsString());
    assertEquals("trailer-value", r.getTrailers().get("x-test-trailer"));
    assertEquals("2", r.getTrailers().get("x-second"));
  }

  @Test
  @PagiRule(22)
  default void rule022_trailersWithoutPromiseRaise() throws Exception {
    Map<String, Object> report = getJson("/http/raise/trailers-before-start");
    assertEquals(1, report.get("raised"), () -> "trailers before start: " + report);
  }

  @Test
  @PagiRule(81)
  default void rule081_trailerSectionOnHttp11() throws Exception {
    assumeHttp1("the trailer section is HTTP/1.1 chunked framing");
    try (RawHttp raw = raw()) {
      raw.send(raw.request("GET", "/http/response/trailers", "TE: trailers"));
      RawHttp.Response r = raw.readResponse(false);
      assertEquals("chunked", r.header("transfer-encoding"));
      assertTrue(r.complete(), "terminated chunked body");
      assertEquals("body", r.text());
      assertTrue(
          r.trailers().stream().anyMatch(t -> t.equalsIgnoreCase("x-test-trailer: trailer-value")),
          () -> "trailers: " + r.trailers());
    }
  }

  /** Reads {@code /http/response/gated}: the client must see {@code A} before opening the gate. */
  private void gated(boolean flush) throws Exception {
    String gate = newId("gate");
    StringBuilder got = new StringBuilder();
    CountDownLatch sawA = new CountDownLatch(1);
    CompletableFuture<Result> done = new CompletableFuture<>();
    client()
        .request("/http/response/gated?gate=" + gate + (flush ? "&flush=1" : ""))
        .onResponseContent(
            (response, buffer) -> {
              synchronized (got) {
                got.append(StandardCharsets.UTF_8.decode(buffer));
                if (got.indexOf("A") >= 0) {
                  sawA.countDown();
                }
              }
            })
        .send(done::complete);
    boolean arrived = sawA.await(5, TimeUnit.SECONDS);
    release(gate);
    assertTrue(arrived, "chunk A (more=1) did not reach the client before the end of the response");
    assertTrue(done.get(15, TimeUnit.SECONDS).isSucceeded());
    synchronized (got) {
      assertEquals("AB", got.toString());
    }
  }

  @Test
  @PagiRule(value = 24, level = Level.SHOULD)
  default void rule024_eachChunkReachesTheClientBeforeTheEnd() throws Exception {
    gated(false);
  }

  @Test
  @PagiRule(124)
  default void rule124_fullflushPushesBufferedBytesOut() throws Exception {
    Map<String, Object> ext = map(map(getJson("/http/echo").get("scope")).get("extensions"));
    Assumptions.assumeTrue(
        ext.containsKey("fullflush"),
        "fullflush is not advertised here; rule124_fullflushRaisesExactlyWhenNotAdvertised"
            + " covers the raise");
    gated(true);
  }

  @Test
  @PagiRule(value = 70, level = Level.SHOULD)
  default void rule070_dateHeaderAddedWhenAppGivesNone() throws Exception {
    ContentResponse r = client().get("/http/response/date");
    List<String> dates = r.getHeaders().getValuesList("date");
    assertEquals(1, dates.size(), () -> "Date headers: " + dates);
    assertTrue(IMF_FIXDATE.matcher(dates.get(0)).matches(), () -> "Date: " + dates);
  }

  @Test
  @PagiRule(value = 70, level = Level.SHOULD)
  default void rule070_appDateIsTheOnlyDate() throws Exception {
    String date = "Sun, 06 Nov 1994 08:49:37 GMT";
    ContentResponse r =
        client().get("/http/response/date?date=" + date.replace(" ", "%20").replace(",", "%2C"));
    assertEquals(List.of(date), r.getHeaders().getValuesList("date"));
  }

  @Test
  @PagiRule(71)
  default void rule071_bodyWithoutLengthIsChunked() throws Exception {
    assumeHttp1("chunked framing is HTTP/1.1; HTTP/2 frames bodies with DATA frames");
    try (RawHttp raw = raw()) {
      raw.send(raw.request("GET", "/http/response/chunks"));
      RawHttp.Response r = raw.readResponse(false);
      assertEquals(List.of("chunked"), r.headers("transfer-encoding"));
      assertNull(r.header("content-length"));
      assertTrue(r.complete());
    }
  }

  @Test
  @PagiRule(71)
  default void rule071_appContentLengthBodyIsRaw() throws Exception {
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        raw.send(raw.request("GET", "/http/response/length", "Connection: close"));
        RawHttp.Response r = raw.readResponse(false);
        assertEquals("5", r.header("content-length"));
        assertTrue(r.headers("transfer-encoding").isEmpty(), "no chunking with a length");
        assertEquals("hello", r.text());
      }
    } else {
      ContentResponse r = client().get("/http/response/length");
      assertEquals("5", r.getHeaders().get("content-length"));
      assertEquals("hello", r.getContentAsString());
    }
  }

  @Test
  @PagiRule(72)
  default void rule072_emptyChunkDoesNotEndTheBody() throws Exception {
    assertEquals("XY", client().get("/http/response/chunks").getContentAsString());
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        raw.send(raw.request("GET", "/http/response/chunks"));
        RawHttp.Response r = raw.readResponse(false);
        assertEquals("XY", r.text());
        List<Integer> chunks = r.chunks();
        assertEquals(0, chunks.get(chunks.size() - 1));
        assertEquals(1, chunks.stream().filter(n -> n == 0).count(), () -> "chunks " + chunks);
      }
    }
  }

  @Test
  @PagiRule(73)
  default void rule073_appTransferEncodingIgnored() throws Exception {
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        raw.send(raw.request("GET", "/http/response/te"));
        RawHttp.Response r = raw.readResponse(false);
        assertEquals(List.of("chunked"), r.headers("transfer-encoding"));
        assertTrue(r.complete());
        assertEquals("te-body|end", r.text());
      }
    } else {
      ContentResponse r = client().get("/http/response/te");
      assertFalse(r.getHeaders().contains("transfer-encoding"), "no TE on HTTP/2");
      assertEquals("te-body|end", r.getContentAsString());
    }
  }

  @Test
  @PagiRule(75)
  default void rule075_headSendsNoBodyAndKeepsAppLength() throws Exception {
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      for (String query : List.of("", "?cl=0")) {
        try (RawHttp raw = raw()) {
          raw.send(raw.request("HEAD", "/http/response/head" + query, "Connection: close"));
          RawHttp.Response r = raw.readResponse(true);
          assertEquals(200, r.status());
          assertTrue(r.headers("transfer-encoding").isEmpty(), () -> "HEAD" + query + " has TE");
          if (query.isEmpty()) {
            assertEquals("5", r.header("content-length"));
          }
          int before = raw.receivedBytes();
          assertTrue(raw.closedByServer());
          assertEquals(before, raw.receivedBytes(), () -> "body bytes after HEAD: " + raw.text());
        }
      }
    } else {
      ContentResponse r = client().request("/http/response/head").method(HttpMethod.HEAD).send();
      assertEquals(200, r.getStatus());
      assertEquals("5", r.getHeaders().get("content-length"));
      assertEquals(0, r.getContent().length);
    }
  }

  @Test
  @PagiRule(76)
  default void rule076_http10WithoutLengthIsCloseDelimited() throws Exception {
    assumeHttp1("HTTP/1.0 is a request line only an HTTP/1.x socket can send");
    try (RawHttp raw = raw()) {
      raw.send(
          "GET "
              + tckTarget().rootPath()
              + "/http/response/chunks HTTP/1.0\r\nHost: "
              + raw.host()
              + "\r\n\r\n");
      RawHttp.Response r = raw.readResponse(false);
      assertTrue(r.headers("transfer-encoding").isEmpty(), "never chunked on HTTP/1.0");
      assertEquals("XY", r.text());
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  @PagiRule(76)
  default void rule076_http10KeepAliveWithLength() throws Exception {
    assumeHttp1("HTTP/1.0 is a request line only an HTTP/1.x socket can send");
    try (RawHttp raw = raw()) {
      String req =
          "GET "
              + tckTarget().rootPath()
              + "/http/response/length HTTP/1.0\r\nHost: "
              + raw.host()
              + "\r\nConnection: keep-alive\r\n\r\n";
      raw.send(req);
      RawHttp.Response first = raw.readResponse(false);
      assertEquals("hello", first.text());
      assertEquals("keep-alive", String.valueOf(first.header("connection")).toLowerCase());
      raw.send(req);
      assertEquals("hello", raw.readResponse(false).text(), "the connection stayed open");
    }
    try (RawHttp raw = raw()) {
      raw.send(
          "GET "
              + tckTarget().rootPath()
              + "/http/response/length HTTP/1.0\r\nHost: "
              + raw.host()
              + "\r\n\r\n");
      assertEquals("hello", raw.readResponse(false).text());
      assertTrue(raw.closedByServer(), "HTTP/1.0 without keep-alive closes");
    }
  }

  @Test
  @PagiRule(77)
  default void rule077_keepAliveByDefaultCloseOnRequestAndPipelining() throws Exception {
    assumeHttp1("persistence and pipelining are HTTP/1.1 connection rules");
    try (RawHttp raw = raw()) {
      raw.send(raw.request("GET", "/http/echo/one") + raw.request("GET", "/http/echo/two"));
      RawHttp.Response one = raw.readResponse(false);
      RawHttp.Response two = raw.readResponse(false);
      assertTrue(one.text().contains("/http/echo/one"), "pipelined responses in order");
      assertTrue(two.text().contains("/http/echo/two"), "pipelined responses in order");
      raw.send(raw.request("GET", "/http/response/length", "Connection: close"));
      assertEquals("hello", raw.readResponse(false).text());
      assertTrue(raw.closedByServer(), "Connection: close closes after the response");
    }
  }

  @Test
  @PagiRule(80)
  default void rule080_fileRangeWithOffsetAndLength() throws Exception {
    ContentResponse r =
        client().get("/http/response/file?size=4000&offset=1000&length=1000&status=206&cl=1000");
    assertEquals(206, r.getStatus());
    assertArrayEquals(fileBytes(1000, 2000), r.getContent());
  }

  @Test
  @PagiRule(80)
  default void rule080_fileBodiesExactBytes() throws Exception {
    assertEquals(0, client().get("/http/response/file?size=0").getContent().length);
    byte[] big = client().get("/http/response/file?size=65537").getContent();
    assertArrayEquals(fileBytes(0, 65537), big, () -> "65537-byte file: " + big.length);
    byte[] tail = client().get("/http/response/file?size=4000&offset=3990").getContent();
    assertArrayEquals(fileBytes(3990, 4000), tail);
  }

  @Test
  @PagiRule(value = 80, level = Level.SHOULD)
  default void rule080_offsetPastTheEndSendsNothing() throws Exception {
    ContentResponse r = client().get("/http/response/file?size=4000&offset=5000");
    assertEquals(200, r.getStatus());
    assertEquals(0, r.getContent().length, () -> Arrays.toString(r.getContent()));
  }

  @Test
  @PagiRule(80)
  default void rule080_missingFileFailsTheSend() throws Exception {
    Map<String, Object> report = getJson("/http/raise/body-file-missing");
    assertEquals(1, report.get("raised"), () -> "missing file: " + report);
    assertTrue(String.valueOf(report.get("error")).contains("missing.bin"), report::toString);
  }
}
