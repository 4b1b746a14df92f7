package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who owns the {@code body} array of an {@code http.request} event, with and without reuse. */
@Timeout(30)
class RequestBodyBufferTest {
  private static final int CHUNK = 4096;

  /** What the app saw: each event's array and a copy of its bytes taken on arrival. */
  private static final class Seen {
    final List<byte[]> arrays = Collections.synchronizedList(new ArrayList<>());
    final List<byte[]> copies = Collections.synchronizedList(new ArrayList<>());

    byte[] joined() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copies.forEach(out::writeBytes);
      return out.toByteArray();
    }

    int distinctArrays() {
      Set<byte[]> ids = Collections.newSetFromMap(new IdentityHashMap<>());
      ids.addAll(arrays);
      return ids.size();
    }
  }

  /** Reads the body event by event, consuming each chunk before asking for the next. */
  private static PagiApp reader(Seen seen) {
    return (scope, receive, send) -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      Runnable[] loop = new Runnable[1];
      loop[0] =
          () ->
              receive
                  .receive()
                  .thenAccept(
                      e -> {
                        byte[] body = Events.body(e);
                        seen.arrays.add(body);
                        seen.copies.add(body.clone());
                        if (Events.more(e)) {
                          loop[0].run();
                        } else {
                          done.complete(null);
                        }
                      })
                  .exceptionally(
                      t -> {
                        done.completeExceptionally(t);
                        return null;
                      });
      loop[0].run();
      return done.thenCompose(
          v ->
              send.send(Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
                  .thenCompose(x -> send.send(Events.body("ok"))));
    };
  }

  private static byte[] upload(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + i / 251);
    }
    return b;
  }

  private static void post(JettyHarness jetty, byte[] body) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(jetty.uri)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
  }

  private static PagiConfig config(boolean reuse) {
    return PagiConfig.builder()
        .lifespanMode(PagiConfig.LifespanMode.OFF)
        .readChunkSize(CHUNK)
        .reuseReadBuffer(reuse)
        .build();
  }

  @Test
  void byDefaultEveryChunkIsAnArrayTheServerNeverTouchesAgain() throws Exception {
    Seen seen = new Seen();
    byte[] body = upload(64 * CHUNK + 123);
    try (JettyHarness jetty = new JettyHarness(reader(seen), config(false), "/*")) {
      post(jetty, body);
    }
    assertArrayEquals(body, seen.joined());
    assertEquals(seen.arrays.size(), seen.distinctArrays());
    for (int i = 0; i < seen.arrays.size(); i++) {
      assertArrayEquals(seen.copies.get(i), seen.arrays.get(i), "chunk " + i + " changed later");
    }
  }

  @Test
  void withReuseFullChunksShareTheReadBufferAndTheBodyStaysIntact() throws Exception {
    Seen seen = new Seen();
    byte[] body = upload(64 * CHUNK + 123);
    try (JettyHarness jetty = new JettyHarness(reader(seen), config(true), "/*")) {
      post(jetty, body);
    }
    assertArrayEquals(body, seen.joined());
    long full = seen.arrays.stream().filter(a -> a.length == CHUNK).count();
    assertTrue(full >= 2, () -> "expected full chunks but got sizes " + sizes(seen));
    // Every full chunk came in the one read buffer; shorter ones are arrays of their own.
    assertEquals(seen.arrays.size() - full + 1, seen.distinctArrays(), () -> sizes(seen));
  }

  private static String sizes(Seen seen) {
    List<Integer> sizes = new ArrayList<>();
    seen.arrays.forEach(a -> sizes.add(a.length));
    return sizes.toString();
  }

  @Test
  void reuseIsOffByDefaultAndReadFromTheInitParam() {
    assertEquals(false, PagiConfig.defaults().reuseReadBuffer());
    assertEquals(
        true,
        PagiConfig.builder().reuseReadBuffer(true).build().toBuilder().build().reuseReadBuffer());
    ServletConfig sc = mock(ServletConfig.class);
    when(sc.getServletContext()).thenReturn(mock(ServletContext.class));
    when(sc.getInitParameter("pagi.reuse-read-buffer")).thenReturn("true");
    assertEquals(true, ConfigParams.read(sc).reuseReadBuffer());
  }
}
