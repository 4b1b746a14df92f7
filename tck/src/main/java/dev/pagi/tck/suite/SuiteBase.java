package dev.pagi.tck.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What the rule classes share: a client for the target's protocol and an HTTP/1.1 side client per
 * test, the target's skip list (a listed test is reported skipped with its reason), and the check
 * of one recorded attempt against its state-matrix cell.
 */
abstract class SuiteBase implements TckSuite {
  private TckClient client;
  private TckClient sideClient;

  /**
   * @return where the TCK app runs and how to talk to it
   */
  protected abstract TckTarget target();

  @Override
  public final TckTarget tckTarget() {
    return target();
  }

  @Override
  public TckClient client() {
    return client;
  }

  @Override
  public TckClient sideClient() {
    return sideClient;
  }

  @BeforeEach
  void openClients(TestInfo info) {
    String test = info.getTestMethod().map(m -> m.getName()).orElse("");
    String reason = tckTarget().skips().get(test);
    Assumptions.assumeTrue(reason == null, () -> "skipped on this target: " + reason);
    client = new TckClient(tckTarget());
    TckTarget t = tckTarget();
    sideClient = new TckClient(new TckTarget(t.base(), TckTarget.Protocol.H1, t.capabilities()));
  }

  @AfterEach
  void closeClients() throws Exception {
    if (client != null) {
      client.close();
    }
    if (sideClient != null) {
      sideClient.close();
    }
  }

  /**
   * Waits (10 s at most) for the probe's {@code attempt} record and checks it against the cell: a
   * raising cell must fail with a {@code ProtocolException} naming the event type, the others must
   * not fail.
   *
   * @param id the test id
   * @param cell the cell
   * @param type the event type the probe sent
   * @return the record
   * @throws Exception on failure
   */
  Map<String, Object> assertAttempt(String id, StateTable.Cell cell, String type) throws Exception {
    List<Map<String, Object>> attempts = TckSuite.named(side(id, "attempt", 1, 10), "attempt");
    assertTrue(!attempts.isEmpty(), () -> cell + ": the app recorded no attempt");
    Map<String, Object> a = attempts.get(0);
    assertEquals(cell.raises() ? 1 : 0, a.get("raised"), () -> cell + ", but: " + a);
    if (cell.raises()) {
      String error = String.valueOf(a.get("error"));
      assertTrue(
          error.startsWith("dev.pagi.ProtocolException: ") && error.contains("'" + type + "'"),
          () -> cell + ": expected a ProtocolException naming '" + type + "' but got " + error);
    }
    return a;
  }

  /**
   * An SSE POST ({@code Accept: text/event-stream}) whose body never completes, left once the app
   * recorded {@code ready}: HTTP/1.1 closes the socket after 7 of 100 declared bytes, HTTP/2 resets
   * the stream.
   *
   * @param path a path below the base
   * @param id the test id the app records {@code ready} under
   * @throws Exception on failure
   */
  void leaveAnOpenSsePost(String path, String id) throws Exception {
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        raw.send(
            raw.request(
                    "POST",
                    path,
                    "Accept: text/event-stream",
                    "Content-Type: text/plain",
                    "Content-Length: 100")
                + "partial");
        sideAwait(id, "ready");
      }
      return;
    }
    AsyncRequestContent body = new AsyncRequestContent();
    body.write(ByteBuffer.wrap("partial".getBytes(StandardCharsets.US_ASCII)), Callback.NOOP);
    Request request =
        client()
            .request(path)
            .method(HttpMethod.POST)
            .headers(h -> h.put(HttpHeader.ACCEPT, "text/event-stream"))
            .body(body);
    CompletableFuture<Result> result = new CompletableFuture<>();
    request.send(result::complete);
    sideAwait(id, "ready");
    request.abort(new IOException("tck: client goes away")).get(5, TimeUnit.SECONDS);
  }
}
