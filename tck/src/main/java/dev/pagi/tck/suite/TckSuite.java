package dev.pagi.tck.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagi.tck.app.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Assumptions;

/**
 * What every rule group needs: the target, a client, and the probe conventions of the checklist's
 * §0 — test ids, the P-SIDE side channel, gates, raw sockets.
 */
public interface TckSuite {

  /**
   * @return where the TCK app runs and how to talk to it
   */
  TckTarget tckTarget();

  /**
   * @return a started client for this test, speaking the target's protocol
   */
  TckClient client();

  /**
   * @return a started HTTP/1.1 client for the side channel and gates, kept apart from the
   *     connections the test itself aborts or resets (§0: "a long-poll on a fresh connection")
   */
  TckClient sideClient();

  /**
   * @param what a short label
   * @return a fresh test id (for {@code x-tck-id} / {@code ?tck=})
   */
  default String newId(String what) {
    return what + "-" + tckTarget().protocol() + "-" + UUID.randomUUID();
  }

  /**
   * Reads the side channel: waits (bounded) until {@code count} observations named {@code what}
   * (any, when {@code null}) exist for {@code id}.
   *
   * @param id the test id
   * @param what the observation name to count, or {@code null}
   * @param count how many to wait for
   * @param waitSeconds the longest wait
   * @return every observation for {@code id}, in order
   * @throws Exception on failure
   */
  @SuppressWarnings("unchecked")
  default List<Map<String, Object>> side(String id, String what, int count, double waitSeconds)
      throws Exception {
    String q = "?count=" + count + "&wait=" + waitSeconds + (what == null ? "" : "&what=" + what);
    ContentResponse r;
    try {
      r = sideClient().get("/__tck/probe/" + id + q);
    } catch (java.util.concurrent.ExecutionException e) {
      r = sideClient().get("/__tck/probe/" + id + q); // once more, on a new connection
    }
    ContentResponse response = r;
    assertEquals(200, r.getStatus(), () -> "side channel: " + response.getContentAsString());
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<Object>) Json.read(r.getContentAsString())) {
      out.add((Map<String, Object>) o);
    }
    return out;
  }

  /**
   * Waits (5 s at most) until an observation named {@code what} exists and returns all.
   *
   * @param id the test id
   * @param what the observation name
   * @return every observation for {@code id}, in order
   * @throws Exception on failure
   */
  default List<Map<String, Object>> sideAwait(String id, String what) throws Exception {
    return side(id, what, 1, 5);
  }

  /**
   * @param log observations
   * @param what a name
   * @return the observations named {@code what}, in order
   */
  static List<Map<String, Object>> named(List<Map<String, Object>> log, String what) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> e : log) {
      if (what.equals(e.get("what"))) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * @param log observations
   * @param what a name
   * @return the first observation named {@code what}; fails (showing the log) when there is none
   */
  static Map<String, Object> first(List<Map<String, Object>> log, String what) {
    List<Map<String, Object>> found = named(log, what);
    if (found.isEmpty()) {
      throw new AssertionError("no '" + what + "' observation in " + log);
    }
    return found.get(0);
  }

  /**
   * @param log observations
   * @return their names, in order
   */
  static List<Object> names(List<Map<String, Object>> log) {
    List<Object> out = new ArrayList<>();
    for (Map<String, Object> e : log) {
      out.add(e.get("what"));
    }
    return out;
  }

  /**
   * @param o a JSON value
   * @return it as an object
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /**
   * @param o a JSON value
   * @return it as an array
   */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  /**
   * @param o bytes as rendered by the TCK app ({@code {"base64":..., "latin1":...}})
   * @return the bytes as ISO-8859-1 text
   */
  static String latin1(Object o) {
    return (String) map(o).get("latin1");
  }

  /**
   * GETs a path and parses the JSON object it answers, asserting status 200.
   *
   * @param path a path below the base
   * @return the object
   * @throws Exception on failure
   */
  default Map<String, Object> getJson(String path) throws Exception {
    ContentResponse r = client().get(path);
    assertEquals(200, r.getStatus(), () -> path + ": " + r.getContentAsString());
    return Json.object(r.getContentAsString());
  }

  /**
   * Opens a gate the app waits on.
   *
   * @param gate the gate id
   * @throws Exception on failure
   */
  default void release(String gate) throws Exception {
    assertEquals(200, sideClient().get("/__tck/release/" + gate).getStatus());
  }

  /**
   * @return a raw socket to the target
   * @throws IOException when the connection fails
   */
  default RawHttp raw() throws IOException {
    return new RawHttp(tckTarget());
  }

  /**
   * Skips the calling test unless the target speaks HTTP/1.1.
   *
   * @param why why the rule is only observable on HTTP/1.x framing
   */
  default void assumeHttp1(String why) {
    Assumptions.assumeTrue(tckTarget().protocol() == TckTarget.Protocol.H1, why);
  }

  /**
   * Streams a request body in 64 KiB writes until it is one write past the target's body limit,
   * stopping early when the server no longer takes the writes (it stopped reading).
   *
   * @param request the request, method and body not yet set
   * @return completes with the exchange's result
   */
  default CompletableFuture<Result> postPastTheLimit(Request request) throws Exception {
    AsyncRequestContent content = new AsyncRequestContent();
    CompletableFuture<Result> done = new CompletableFuture<>();
    request.method(HttpMethod.POST).body(content).send(done::complete);
    byte[] block = new byte[64 * 1024];
    for (long sent = 0; sent <= tckTarget().maxBodySize(); sent += block.length) {
      CompletableFuture<Void> written = new CompletableFuture<>();
      content.write(
          ByteBuffer.wrap(block),
          Callback.from(() -> written.complete(null), written::completeExceptionally));
      try {
        written.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        break; // the server stopped reading: expected once over the limit
      }
    }
    content.close();
    return done;
  }

  /**
   * Starts a POST whose body stays open: {@code partial} is sent, then nothing, until {@link
   * Partial#abort()} (HTTP/1.1: the connection closes; HTTP/2: the stream is reset).
   *
   * @param path a path below the base
   * @return the request in flight
   */
  default Partial partialPost(String path) {
    return partialPost(path, -1);
  }

  /**
   * As {@link #partialPost(String)}, declaring a {@code Content-Length} the body never reaches.
   *
   * @param path the path
   * @param declaredLength the {@code Content-Length} to send, or -1 for none
   * @return the request in flight
   */
  default Partial partialPost(String path, long declaredLength) {
    AsyncRequestContent body =
        new AsyncRequestContent() {
          @Override
          public long getLength() {
            return declaredLength;
          }
        };
    body.write(ByteBuffer.wrap("partial".getBytes(StandardCharsets.US_ASCII)), Callback.NOOP);
    Request request = client().request(path).method(HttpMethod.POST).body(body);
    CompletableFuture<Result> result = new CompletableFuture<>();
    request.send(result::complete);
    return new Partial(request, body, result);
  }

  /**
   * A request in flight with an open body.
   *
   * @param request the request
   * @param body its body, still open
   * @param result completes when the exchange ends
   */
  record Partial(Request request, AsyncRequestContent body, CompletableFuture<Result> result) {
    /** Aborts the request as a client that goes away would. */
    public void abort() throws Exception {
      request.abort(new IOException("tck: client goes away")).get(5, TimeUnit.SECONDS);
    }
  }
}
