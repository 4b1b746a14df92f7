package dev.pagi.runner.examples;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A chunked response: {@code count} lines (default 10, at most 1000), {@code interval} ms apart
 * (default 200). Each line reaches the client as soon as it is sent; the loop stops early when the
 * client goes away.
 */
public final class Streaming implements PagiApp {
  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return Support.lifespan(scope, receive, send);
    }
    if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("streaming serves http only, not " + Scope.type(scope));
    }
    return stream(scope, send);
  }

  static CompletionStage<Void> stream(Map<String, Object> scope, Send send) {
    int count = Math.min(1000, param(Scope.queryString(scope), "count", 10));
    int interval = Math.min(5000, param(Scope.queryString(scope), "interval", 200));
    var connection = Scope.connection(scope);
    int[] i = {0};
    return send.send(
            Events.responseStart(
                200,
                List.of(
                    Header.of("content-type", "text/plain; charset=utf-8"),
                    Header.of("x-content-type-options", "nosniff"),
                    Header.of("cache-control", "no-cache"))))
        .thenCompose(
            v ->
                Support.loop(
                    () -> {
                      i[0]++;
                      String line =
                          "chunk "
                              + i[0]
                              + " of "
                              + count
                              + " at "
                              + LocalTime.now().truncatedTo(ChronoUnit.MILLIS)
                              + "\n";
                      boolean last = i[0] >= count;
                      CompletionStage<Void> sent =
                          send.send(
                              Events.body(
                                  line.getBytes(java.nio.charset.StandardCharsets.UTF_8), !last));
                      if (last || connection != null && !connection.isConnected()) {
                        return sent.thenApply(x -> false);
                      }
                      return sent.thenCompose(x -> Support.delay(interval)).thenApply(x -> true);
                    }));
  }

  static int param(String query, String name, int otherwise) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        try {
          return Math.max(0, Integer.parseInt(pair.substring(name.length() + 1)));
        } catch (NumberFormatException e) {
          return otherwise;
        }
      }
    }
    return otherwise;
  }
}
