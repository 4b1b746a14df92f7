package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.list;
import static dev.pagi.tck.suite.TckSuite.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.app.Json;
import dev.pagi.tck.suite.PagiRule.Level;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** §2.A request body events, receive after the response, the body limit and 100-continue. */
public interface HttpRequestRules extends TckSuite {

  private static byte[] payload(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static void assertBodyReport(Map<String, Object> report, byte[] sent) throws Exception {
    assertEquals(sent.length, ((Number) report.get("bytes")).intValue(), () -> "report " + report);
    assertEquals(sha256(sent), report.get("sha256"));
    List<Object> mores = list(report.get("mores"));
    for (int i = 0; i < mores.size(); i++) {
      int want = i == mores.size() - 1 ? 0 : 1;
      assertEquals(want, mores.get(i), () -> "more flags " + mores);
    }
    for (Object type : list(report.get("types"))) {
      assertEquals("http.request", type);
    }
  }

  @Test
  @PagiRule(17)
  default void rule017_contentLengthBodyArrivesWithMoreFlags() throws Exception {
    byte[] body = payload(200_000);
    ContentResponse r =
        client()
            .request("/http/request/body")
            .method(HttpMethod.POST)
            .body(new BytesRequestContent(body))
            .send();
    assertEquals(200, r.getStatus());
    Map<String, Object> report = Json.object(r.getContentAsString());
    assertBodyReport(report, body);
    assertTrue(((Integer) report.get("events")) > 1, () -> "one event for 200 KB: " + report);
  }

  @Test
  @PagiRule(17)
  default void rule017_streamedBodyWithoutLength() throws Exception {
    byte[] body = payload(200_000);
    AsyncRequestContent content = new AsyncRequestContent();
    CompletableFuture<Result> done = new CompletableFuture<>();
    BufferingResponseListener listener =
        new BufferingResponseListener() {
          @Override
          public void onComplete(Result result) {
            done.complete(result);
          }
        };
    client().request("/http/request/body").method(HttpMethod.POST).body(content).send(listener);
    for (int off = 0; off < body.length; off += 50_000) {
      content.write(ByteBuffer.wrap(body, off, 50_000), Callback.NOOP);
    }
    content.close();
    Result result = done.get(10, TimeUnit.SECONDS);
    assertTrue(result.isSucceeded(), () -> "failed: " + result.getFailure());
    assertBodyReport(Json.object(listener.getContentAsString()), body);
  }

  @Test
  @PagiRule(17)
  default void rule017_chunkedBodyIsDechunked() throws Exception {
    assumeHttp1("chunked transfer coding exists only in HTTP/1.1");
    byte[] body = payload(3000);
    try (RawHttp raw = raw()) {
      StringBuilder req =
          new StringBuilder(
              raw.request(
                  "POST", "/http/request/body", "Transfer-Encoding: chunked", "Connection: close"));
      String latin = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
      for (int off = 0; off < body.length; off += 1000) {
        req.append(Integer.toHexString(1000)).append("\r\n");
        req.append(latin, off, off + 1000).append("\r\n");
      }
      req.append("0\r\n\r\n");
      raw.send(req.toString());
      RawHttp.Response r = raw.readResponse(false);
      assertEquals(200, r.status());
      assertBodyReport(Json.object(r.utf8()), body);
    }
  }

  @Test
  @PagiRule(17)
  default void rule017_noBodyGivesOneEmptyFinalEvent() throws Exception {
    Map<String, Object> report = getJson("/http/request/body");
    assertEquals(1, report.get("events"), () -> "report " + report);
    assertEquals(0, report.get("bytes"));
    assertEquals(List.of(0), report.get("mores"));
  }

  @Test
  @PagiRule(value = 23, level = Level.SHOULD)
  default void rule023_receiveAfterTheResponseGivesDisconnect() throws Exception {
    String id = newId("after-response");
    ContentResponse r = client().get("/http/request/after-response?tck=" + id);
    assertEquals("done", r.getContentAsString());
    Map<String, Object> after = TckSuite.first(sideAwait(id, "after"), "after");
    assertEquals("http.disconnect", after.get("type"));
  }

  @Test
  @PagiRule({60, 79})
  default void rule060_bodyOverLimitWithoutLengthGivesBodyTooLarge() throws Exception {
    String id = newId("too-large");
    CompletableFuture<Result> done =
        postPastTheLimit(client().request("/http/request/until-gone?tck=" + id));
    List<Map<String, Object>> log = sideAwait(id, "disconnect");
    assertEquals("body_too_large", TckSuite.first(log, "disconnect").get("reason"));
    assertEquals("http.disconnect", TckSuite.first(sideAwait(id, "end"), "end").get("type"));
    Result result = done.get(10, TimeUnit.SECONDS);
    if (result.getResponse() != null && result.getResponse().getStatus() > 0) {
      assertEquals(413, result.getResponse().getStatus());
    }
  }

  @Test
  @PagiRule(79)
  default void rule079_contentLengthOverLimitGives413BeforeTheApp() throws Exception {
    String id = newId("cl-too-large");
    long limit = tckTarget().maxBodySize();
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        raw.send(raw.request("POST", "/http/ok?tck=" + id, "Content-Length: " + (limit + 1)));
        assertEquals(413, raw.readResponse(false).status());
      }
    } else {
      // Declare the length, send no body: the answer must come from the headers alone.
      CompletableFuture<Integer> status = new CompletableFuture<>();
      AsyncRequestContent content = new AsyncRequestContent();
      org.eclipse.jetty.client.Request request =
          client()
              .request("/http/ok?tck=" + id)
              .method(HttpMethod.POST)
              .headers(h -> h.put("content-length", String.valueOf(limit + 1)))
              .body(content)
              .onResponseBegin(r -> status.complete(r.getStatus()));
      request.send(result -> status.complete(-1));
      assertEquals(413, status.get(10, TimeUnit.SECONDS));
      request.abort(new java.io.IOException("tck: done"));
    }
    assertTrue(named(side(id, "invoked", 1, 0.3), "invoked").isEmpty(), "the app ran");
  }

  /**
   * Sends a chunked POST whose second chunk-size line is {@code zz}, while the app reads.
   *
   * @return the response status, or -1 when the server closed without one
   */
  private int badChunk(String id) throws Exception {
    try (RawHttp raw = raw()) {
      raw.send(
          raw.request("POST", "/http/request/until-gone?tck=" + id, "Transfer-Encoding: chunked"));
      sideAwait(id, "ready");
      raw.send("5\r\nhello\r\nzz\r\n");
      try {
        return raw.readResponse(false).status();
      } catch (java.net.SocketException e) {
        return -1;
      } catch (java.io.IOException e) {
        if (raw.receivedBytes() == 0 && !(e instanceof java.net.SocketTimeoutException)) {
          return -1;
        }
        throw e;
      }
    }
  }

  @Test
  @PagiRule(79)
  default void rule079_badChunkWhileTheAppReadsGives400() throws Exception {
    assumeHttp1("chunk framing exists only in HTTP/1.1");
    String id = newId("bad-chunk");
    assertEquals(400, badChunk(id));
    assertEquals("http.disconnect", TckSuite.first(sideAwait(id, "end"), "end").get("type"));
  }

  @Test
  @PagiRule(60)
  default void rule060_badChunkReasonIsProtocolError() throws Exception {
    assumeHttp1("chunk framing exists only in HTTP/1.1");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        tckTarget().has(TckTarget.CHUNK_ERRORS),
        "the target does not declare 'chunk-errors': its container reports a malformed chunk as"
            + " an early EOF, which cannot be told from the client closing");
    String id = newId("bad-chunk-reason");
    badChunk(id);
    List<Map<String, Object>> log = sideAwait(id, "disconnect");
    assertEquals("protocol_error", TckSuite.first(log, "disconnect").get("reason"));
  }

  @Test
  @PagiRule(79)
  default void rule079_malformedRequestsGet400WithoutTheApp() throws Exception {
    assumeHttp1("request-line and header syntax are HTTP/1.1 framing");
    String id = newId("malformed");
    List<String> bad =
        List.of(
            "GET "
                + tckTarget().rootPath()
                + "/http/ok?tck="
                + id
                + " HTTP/1.1\r\nHost: x\r\nNo colon in this header line\r\n\r\n",
            "GET " + tckTarget().rootPath() + "/http/ok?tck=" + id + " HTTP/1.1\r\n\r\n",
            "POST "
                + tckTarget().rootPath()
                + "/http/ok?tck="
                + id
                + " HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n");
    List<String> wrong = new ArrayList<>();
    for (String request : bad) {
      try (RawHttp raw = raw()) {
        raw.send(request);
        RawHttp.Response r = raw.readResponse(false);
        if (r.status() != 400) {
          wrong.add(r.statusLine() + " for " + request.replace("\r\n", "\\r\\n"));
        }
      }
    }
    assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    assertTrue(named(side(id, "invoked", 1, 0.3), "invoked").isEmpty(), "the app ran");
  }

  @Test
  @PagiRule(79)
  default void rule079_oversizedRequestLineAndHeadersRejected() throws Exception {
    assumeHttp1("request-line and header limits are HTTP/1.1 framing");
    String id = newId("oversized");
    try (RawHttp raw = raw()) {
      raw.send(raw.request("GET", "/http/ok?tck=" + id + "&pad=" + "a".repeat(64 * 1024)));
      int status = raw.readResponse(false).status();
      assertTrue(status == 414 || status == 431 || status == 400, () -> "long URI: " + status);
    }
    try (RawHttp raw = raw()) {
      raw.send(raw.request("GET", "/http/ok?tck=" + id, "X-Big: " + "b".repeat(1 << 20)));
      int status = raw.readResponse(false).status();
      assertTrue(status == 431 || status == 400 || status == 413, () -> "big header: " + status);
    } catch (java.net.SocketException e) {
      // The server may close while the 1 MB header is still being written; the app must not run.
    }
    assertTrue(named(side(id, "invoked", 1, 0.3), "invoked").isEmpty(), "the app ran");
  }

  @Test
  @PagiRule(78)
  default void rule078_continueSentWhenTheAppReads() throws Exception {
    assumeHttp1("100 Continue is an HTTP/1.1 interim response the high-level client hides");
    try (RawHttp raw = raw()) {
      raw.send(
          raw.request(
              "POST",
              "/http/request/continue?mode=read",
              "Expect: 100-continue",
              "Content-Length: 5",
              "Connection: close"));
      RawHttp.Response interim = raw.readResponse(false);
      assertEquals(100, interim.status(), "100 Continue before the body is sent");
      raw.send("hello");
      RawHttp.Response r = raw.readResponse(false);
      assertEquals(200, r.status());
      assertEquals("hello", r.text());
    }
  }

  @Test
  @PagiRule(78)
  default void rule078_noContinueWhenTheAppAnswersWithoutReading() throws Exception {
    assumeHttp1("100 Continue is an HTTP/1.1 interim response the high-level client hides");
    try (RawHttp raw = raw()) {
      raw.send(
          raw.request(
              "POST",
              "/http/request/continue?mode=reject",
              "Expect: 100-continue",
              "Content-Length: 5",
              "Connection: close"));
      RawHttp.Response r = raw.readResponse(false);
      assertEquals(401, r.status(), () -> "first status line: " + r.statusLine());
    }
  }
}
