package dev.pagi.servlet;

import jakarta.servlet.ServletConfig;
import java.time.Duration;
import java.util.function.Consumer;

/** Reads {@link PagiConfig} from {@code pagi.*} init-params (or context-params). */
final class ConfigParams {
  private ConfigParams() {}

  static PagiConfig read(ServletConfig sc) {
    PagiConfig.Builder b = PagiConfig.builder();
    param(sc, "pagi.max-body-size", v -> b.maxBodySize(Long.parseLong(v)));
    param(sc, "pagi.high-water-mark", v -> b.highWaterMark(Integer.parseInt(v)));
    param(sc, "pagi.low-water-mark", v -> b.lowWaterMark(Integer.parseInt(v)));
    param(sc, "pagi.read-chunk-size", v -> b.readChunkSize(Integer.parseInt(v)));
    param(sc, "pagi.reuse-read-buffer", v -> b.reuseReadBuffer(Boolean.parseBoolean(v)));
    param(sc, "pagi.lifespan", v -> b.lifespanMode(PagiConfig.LifespanMode.parse(v)));
    param(sc, "pagi.lifespan-timeout", v -> b.lifespanStartupTimeout(seconds(v)));
    param(sc, "pagi.shutdown-timeout", v -> b.lifespanShutdownTimeout(seconds(v)));
    param(sc, "pagi.sse-idle-timeout", v -> b.sseIdleTimeout(seconds(v)));
    param(sc, "pagi.ws-handshake-timeout", v -> b.websocketHandshakeTimeout(seconds(v)));
    param(sc, "pagi.ws-max-message-size", v -> b.websocketMaxMessageSize(Long.parseLong(v)));
    param(sc, "pagi.ws-max-receive-queue", v -> b.websocketMaxReceiveQueue(Integer.parseInt(v)));
    param(sc, "pagi.fullflush", v -> b.fullflush(Boolean.parseBoolean(v)));
    return b.build();
  }

  private static Duration seconds(String v) {
    return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
  }

  private static void param(ServletConfig sc, String name, Consumer<String> apply) {
    String v = sc.getInitParameter(name);
    if (v == null) {
      v = sc.getServletContext().getInitParameter(name);
    }
    if (v == null) {
      return;
    }
    try {
      apply.accept(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Expected a number for init-param '" + name + "' but got '" + v + "'");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid init-param '" + name + "': " + e.getMessage());
    }
  }
}
