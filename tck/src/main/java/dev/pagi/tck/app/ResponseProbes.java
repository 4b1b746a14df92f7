package dev.pagi.tck.app;

import dev.pagi.Connection;
import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Response probes, under {@code /http/response/}.
 *
 * <ul>
 *   <li>{@code chunks}: bodies {@code ''} more=1, {@code X} more=1, {@code Y} more=0.
 *   <li>{@code te}: the app sets {@code transfer-encoding: chunked} (which must be ignored).
 *   <li>{@code length}: {@code content-length: 5} and {@code hello}.
 *   <li>{@code date[?date=<value>]}: the app's own {@code date} header when given.
 *   <li>{@code head[?cl=0]}: a body of {@code hello} (with {@code content-length: 5} unless {@code
 *       cl=0}); request it with HEAD.
 *   <li>{@code trailers}: {@code trailers: 1}, body {@code body}, trailers {@code x-test-trailer:
 *       trailer-value} and {@code x-second: 2}.
 *   <li>{@code file?size=&offset=&length=&status=&cl=}: a {@code file} body of a generated file
 *       whose byte {@code i} is {@code i % 251}.
 *   <li>{@code gated?gate=<id>[&flush=1]}: start, {@code A} more=1 (then {@code http.fullflush}),
 *       records {@code sent-A}, waits for the gate, then {@code B} more=0.
 *   <li>{@code flags}: start, then a body event with neither {@code body} nor {@code more}; records
 *       {@code flags} with {@code response_complete} right after it.
 *   <li>{@code fullflush}: start, {@code A} more=1, then tries {@code http.fullflush} and reports
 *       {@code {"advertised":0|1,"raised":0|1}} in the final body.
 * </ul>
 */
final class ResponseProbes implements PagiApp {
  private static final Map<Integer, Path> FILES = new ConcurrentHashMap<>();

  /**
   * @param size the file size
   * @return a file (created once per size, deleted on exit) whose byte {@code i} is {@code i % 251}
   */
  static Path file(int size) {
    return FILES.computeIfAbsent(
        size,
        n -> {
          try {
            Path p = Files.createTempFile("pagi-tck-" + n + "-", ".bin");
            p.toFile().deleteOnExit();
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
              data[i] = (byte) (i % 251);
            }
            Files.write(p, data);
            return p;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String path = TckApp.relativePath(scope).substring("/http/response/".length());
    String id = TckApp.testId(scope);
    Connection conn = Scope.connection(scope);
    switch (path) {
      case "chunks" -> {
        return Reply.start(send, 200, "content-type", "text/plain")
            .thenCompose(v -> Reply.chunk(send, "", true))
            .thenCompose(v -> Reply.chunk(send, "X", true))
            .thenCompose(v -> Reply.chunk(send, "Y", false));
      }
      case "te" -> {
        return Reply.start(send, 200, "content-type", "text/plain", "transfer-encoding", "chunked")
            .thenCompose(v -> Reply.chunk(send, "te-body", true))
            .thenCompose(v -> Reply.chunk(send, "|end", false));
      }
      case "length" -> {
        return Reply.start(send, 200, "content-type", "text/plain", "content-length", "5")
            .thenCompose(v -> Reply.chunk(send, "hello", false));
      }
      case "date" -> {
        String date = TckApp.query(scope, "date");
        String[] headers =
            date == null
                ? new String[] {"content-type", "text/plain"}
                : new String[] {"content-type", "text/plain", "date", decode(date)};
        return Reply.start(send, 200, headers).thenCompose(v -> Reply.chunk(send, "date", false));
      }
      case "head" -> {
        boolean cl = !"0".equals(TckApp.query(scope, "cl"));
        String[] headers =
            cl
                ? new String[] {"content-type", "text/plain", "content-length", "5"}
                : new String[] {"content-type", "text/plain"};
        return Reply.start(send, 200, headers).thenCompose(v -> Reply.chunk(send, "hello", false));
      }
      case "trailers" -> {
        Map<String, Object> start =
            Events.responseStart(200, List.of(Header.of("content-type", "text/plain")));
        start.put("trailers", 1);
        Map<String, Object> trailers = Events.of(Events.HTTP_RESPONSE_TRAILERS);
        trailers.put(
            "headers",
            List.of(Header.of("x-test-trailer", "trailer-value"), Header.of("x-second", "2")));
        return send.send(start)
            .thenCompose(v -> Reply.chunk(send, "body", false))
            .thenCompose(v -> send.send(trailers));
      }
      case "file" -> {
        return file(scope, send);
      }
      case "gated" -> {
        String gate = TckApp.query(scope, "gate");
        boolean flush = "1".equals(TckApp.query(scope, "flush"));
        return Reply.start(send, 200, "content-type", "text/plain")
            .thenCompose(v -> Reply.chunk(send, "A", true))
            .thenCompose(
                v ->
                    flush
                        ? send.send(Events.of(Events.HTTP_FULLFLUSH))
                        : CompletableFuture.<Void>completedFuture(null))
            .thenCompose(
                v -> {
                  ProbeRegistry.record(id, "sent-A");
                  return ProbeRegistry.gate(gate)
                      .orTimeout(10, TimeUnit.SECONDS)
                      .handle((x, timeout) -> timeout == null);
                })
            .thenCompose(released -> Reply.chunk(send, released ? "B" : "B-timeout", false));
      }
      case "flags" -> {
        return Reply.start(send, 200, "content-type", "text/plain")
            .thenCompose(v -> send.send(Events.of(Events.HTTP_RESPONSE_BODY)))
            .thenAccept(
                v ->
                    ProbeRegistry.record(
                        id, "flags", Map.of("response_complete", conn.responseComplete() ? 1 : 0)));
      }
      case "fullflush" -> {
        boolean advertised = Scope.hasExtension(scope, Scope.EXT_FULLFLUSH);
        return Reply.start(send, 200, "content-type", "application/json")
            .thenCompose(v -> Reply.chunk(send, "", true))
            .thenCompose(v -> Reply.attempt(send, Events.of(Events.HTTP_FULLFLUSH)))
            .thenCompose(
                result -> {
                  Map<String, Object> out = new LinkedHashMap<>(result);
                  out.put("advertised", advertised ? 1 : 0);
                  return Reply.chunk(send, Json.write(out), false);
                });
      }
      default -> {
        return Reply.send(send, 404, "text/plain", "no response probe " + path);
      }
    }
  }

  private static CompletionStage<Void> file(Map<String, Object> scope, Send send) {
    int size = Integer.parseInt(TckApp.query(scope, "size"));
    String status = TckApp.query(scope, "status");
    String cl = TckApp.query(scope, "cl");
    String offset = TckApp.query(scope, "offset");
    String length = TckApp.query(scope, "length");
    List<Header> headers = new ArrayList<>();
    headers.add(Header.of("content-type", "application/octet-stream"));
    if (cl != null) {
      headers.add(Header.of("content-length", cl));
    }
    Map<String, Object> body = Events.of(Events.HTTP_RESPONSE_BODY);
    body.put("file", file(size).toString());
    if (offset != null) {
      body.put("offset", Long.parseLong(offset));
    }
    if (length != null) {
      body.put("length", Long.parseLong(length));
    }
    return send.send(Events.responseStart(status == null ? 200 : Integer.parseInt(status), headers))
        .thenCompose(v -> send.send(body));
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
