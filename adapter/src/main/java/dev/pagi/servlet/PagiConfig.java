package dev.pagi.servlet;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of a {@link PagiServlet}: limits, flow-control marks, timeouts and lifespan mode.
 * Immutable; build with {@link #builder()} or read from servlet init-params with {@link
 * PagiServlet}'s {@code pagi.*} parameters (names in each builder method's doc).
 *
 * <pre>{@code
 * PagiConfig config = PagiConfig.builder().maxBodySize(1 << 20).highWaterMark(128 * 1024).build();
 * }</pre>
 */
public final class PagiConfig {

  /** How the lifespan protocol runs at servlet init and destroy. */
  public enum LifespanMode {
    /** Run it; an application that declines (raises or returns without a signal) is fine. */
    AUTO,
    /** Run it; a decline is logged as a warning but startup continues. */
    ON,
    /** Never call the application with a lifespan scope. */
    OFF;

    static LifespanMode parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Expected lifespan mode 'auto', 'on' or 'off' but got '" + value + "'");
      }
    }
  }

  private final long maxBodySize;
  private final int highWaterMark;
  private final int lowWaterMark;
  private final int readChunkSize;
  private final boolean reuseReadBuffer;
  private final LifespanMode lifespanMode;
  private final Duration lifespanStartupTimeout;
  private final Duration lifespanShutdownTimeout;
  private final Duration sseIdleTimeout;
  private final Duration websocketHandshakeTimeout;
  private final long websocketMaxMessageSize;
  private final int websocketMaxReceiveQueue;
  private final boolean fullflush;

  private PagiConfig(Builder b) {
    if (b.lowWaterMark > b.highWaterMark) {
      throw new IllegalArgumentException(
          "Expected low-water mark <= high-water mark but got "
              + b.lowWaterMark
              + " > "
              + b.highWaterMark);
    }
    this.maxBodySize = b.maxBodySize;
    this.highWaterMark = b.highWaterMark;
    this.lowWaterMark = b.lowWaterMark;
    this.readChunkSize = b.readChunkSize;
    this.reuseReadBuffer = b.reuseReadBuffer;
    this.lifespanMode = b.lifespanMode;
    this.lifespanStartupTimeout = b.lifespanStartupTimeout;
    this.lifespanShutdownTimeout = b.lifespanShutdownTimeout;
    this.sseIdleTimeout = b.sseIdleTimeout;
    this.websocketHandshakeTimeout = b.websocketHandshakeTimeout;
    this.websocketMaxMessageSize = b.websocketMaxMessageSize;
    this.websocketMaxReceiveQueue = b.websocketMaxReceiveQueue;
    this.fullflush = b.fullflush;
  }

  /**
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the defaults
   */
  public static PagiConfig defaults() {
    return builder().build();
  }

  /**
   * @return a builder holding this configuration's values
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxBodySize = maxBodySize;
    b.highWaterMark = highWaterMark;
    b.lowWaterMark = lowWaterMark;
    b.readChunkSize = readChunkSize;
    b.reuseReadBuffer = reuseReadBuffer;
    b.lifespanMode = lifespanMode;
    b.lifespanStartupTimeout = lifespanStartupTimeout;
    b.lifespanShutdownTimeout = lifespanShutdownTimeout;
    b.sseIdleTimeout = sseIdleTimeout;
    b.websocketHandshakeTimeout = websocketHandshakeTimeout;
    b.websocketMaxMessageSize = websocketMaxMessageSize;
    b.websocketMaxReceiveQueue = websocketMaxReceiveQueue;
    b.fullflush = fullflush;
    return b;
  }

  /**
   * @return largest accepted request body in bytes; 0 means no limit
   */
  public long maxBodySize() {
    return maxBodySize;
  }

  /**
   * @return buffered bytes at which a send waits
   */
  public int highWaterMark() {
    return highWaterMark;
  }

  /**
   * @return buffered bytes below which waiting sends resume
   */
  public int lowWaterMark() {
    return lowWaterMark;
  }

  /**
   * @return largest request body chunk delivered per {@code http.request} event
   */
  public int readChunkSize() {
    return readChunkSize;
  }

  /**
   * @return whether a full {@code http.request} body chunk may be the read buffer itself, valid
   *     only until the application's next {@code receive()} (see {@link Builder#reuseReadBuffer})
   */
  public boolean reuseReadBuffer() {
    return reuseReadBuffer;
  }

  /**
   * @return the lifespan mode
   */
  public LifespanMode lifespanMode() {
    return lifespanMode;
  }

  /**
   * @return how long servlet init waits for {@code lifespan.startup.complete}
   */
  public Duration lifespanStartupTimeout() {
    return lifespanStartupTimeout;
  }

  /**
   * @return how long servlet destroy waits for {@code lifespan.shutdown.complete}
   */
  public Duration lifespanShutdownTimeout() {
    return lifespanShutdownTimeout;
  }

  /**
   * @return how long an SSE stream may go without an application event; zero disables
   */
  public Duration sseIdleTimeout() {
    return sseIdleTimeout;
  }

  /**
   * @return how long a WebSocket handshake waits for the application's accept or denial, and how
   *     long a Close frame we sent waits for the peer's before the connection is dropped
   */
  public Duration websocketHandshakeTimeout() {
    return websocketHandshakeTimeout;
  }

  /**
   * @return largest inbound WebSocket message in bytes
   */
  public long websocketMaxMessageSize() {
    return websocketMaxMessageSize;
  }

  /**
   * @return inbound WebSocket messages queued for a slow application before it is closed with 1008
   */
  public int websocketMaxReceiveQueue() {
    return websocketMaxReceiveQueue;
  }

  /**
   * @return whether the {@code fullflush} extension is advertised
   */
  public boolean fullflush() {
    return fullflush;
  }

  @Override
  public String toString() {
    return "PagiConfig{maxBodySize="
        + maxBodySize
        + ", highWaterMark="
        + highWaterMark
        + ", lowWaterMark="
        + lowWaterMark
        + ", lifespan="
        + lifespanMode
        + "}";
  }

  /** Builds a {@link PagiConfig}. Every setter validates its argument. */
  public static final class Builder {
    private long maxBodySize = 10L * 1024 * 1024;
    private int highWaterMark = 64 * 1024;
    private int lowWaterMark = 16 * 1024;
    private int readChunkSize = 16 * 1024;
    private boolean reuseReadBuffer;
    private LifespanMode lifespanMode = LifespanMode.AUTO;
    private Duration lifespanStartupTimeout = Duration.ofSeconds(30);
    private Duration lifespanShutdownTimeout = Duration.ofSeconds(30);
    private Duration sseIdleTimeout = Duration.ZERO;
    private Duration websocketHandshakeTimeout = Duration.ofSeconds(10);
    private long websocketMaxMessageSize = 1024 * 1024;
    private int websocketMaxReceiveQueue = 1000;
    private boolean fullflush = true;

    private Builder() {}

    /**
     * Init-param {@code pagi.max-body-size}. Default 10 MiB.
     *
     * @param bytes largest request body; 0 for no limit
     * @return this
     */
    public Builder maxBodySize(long bytes) {
      this.maxBodySize = nonNegative("max body size", bytes);
      return this;
    }

    /**
     * Init-param {@code pagi.high-water-mark}. Default 64 KiB.
     *
     * @param bytes the high-water mark, at least 1
     * @return this
     */
    public Builder highWaterMark(int bytes) {
      this.highWaterMark = (int) positive("high-water mark", bytes);
      return this;
    }

    /**
     * Init-param {@code pagi.low-water-mark}. Default 16 KiB.
     *
     * @param bytes the low-water mark, at most the high one
     * @return this
     */
    public Builder lowWaterMark(int bytes) {
      this.lowWaterMark = (int) nonNegative("low-water mark", bytes);
      return this;
    }

    /**
     * Init-param {@code pagi.read-chunk-size}. Default 16 KiB.
     *
     * @param bytes largest body chunk per receive event
     * @return this
     */
    public Builder readChunkSize(int bytes) {
      this.readChunkSize = (int) positive("read chunk size", bytes);
      return this;
    }

    /**
     * Init-param {@code pagi.reuse-read-buffer}. Default false: every {@code http.request} event
     * carries a {@code body} array of its own that the server never touches again.
     *
     * <p>When true, a body chunk that fills the whole read chunk is handed over in the request's
     * read buffer itself, and the server reads the next chunk into that same array once the
     * application calls {@code receive()} again. An application that consumes each chunk before
     * asking for the next (a digest, a parser, a write to a file or a channel that copies) saves
     * one allocation and one copy per chunk; one that keeps a body array past its next {@code
     * receive()} must copy it first ({@code body.clone()}), or it sees later bytes. Shorter chunks
     * and {@code sse.request} bodies are always fresh arrays.
     *
     * <pre>{@code
     * PagiConfig.builder().reuseReadBuffer(true).build();
     * }</pre>
     *
     * @param enabled whether full body chunks share the read buffer
     * @return this
     */
    public Builder reuseReadBuffer(boolean enabled) {
      this.reuseReadBuffer = enabled;
      return this;
    }

    /**
     * Init-param {@code pagi.lifespan} ({@code auto}, {@code on}, {@code off}). Default auto.
     *
     * @param mode the mode
     * @return this
     */
    public Builder lifespanMode(LifespanMode mode) {
      this.lifespanMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Init-param {@code pagi.lifespan-timeout} in seconds. Default 30 s.
     *
     * @param timeout wait for startup
     * @return this
     */
    public Builder lifespanStartupTimeout(Duration timeout) {
      this.lifespanStartupTimeout = positive("lifespan startup timeout", timeout);
      return this;
    }

    /**
     * Init-param {@code pagi.shutdown-timeout} in seconds. Default 30 s.
     *
     * @param timeout wait for shutdown
     * @return this
     */
    public Builder lifespanShutdownTimeout(Duration timeout) {
      this.lifespanShutdownTimeout = positive("lifespan shutdown timeout", timeout);
      return this;
    }

    /**
     * Init-param {@code pagi.sse-idle-timeout} in seconds. Default 0 (off).
     *
     * @param timeout idle time before an SSE stream is closed with {@code idle_timeout}
     * @return this
     */
    public Builder sseIdleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("Expected SSE idle timeout >= 0 but got " + timeout);
      }
      this.sseIdleTimeout = timeout;
      return this;
    }

    /**
     * Init-param {@code pagi.ws-handshake-timeout} in seconds. Default 10 s. Bounds the opening
     * handshake (no decision: 504) and the closing one (no Close from the peer: dropped).
     *
     * @param timeout wait for accept or denial, and for the peer's Close
     * @return this
     */
    public Builder websocketHandshakeTimeout(Duration timeout) {
      this.websocketHandshakeTimeout = positive("WebSocket handshake timeout", timeout);
      return this;
    }

    /**
     * Init-param {@code pagi.ws-max-message-size}. Default 1 MiB.
     *
     * @param bytes largest inbound message
     * @return this
     */
    public Builder websocketMaxMessageSize(long bytes) {
      this.websocketMaxMessageSize = positive("WebSocket max message size", bytes);
      return this;
    }

    /**
     * Init-param {@code pagi.ws-max-receive-queue}. Default 1000.
     *
     * @param messages inbound messages queued before the connection is closed with 1008
     * @return this
     */
    public Builder websocketMaxReceiveQueue(int messages) {
      this.websocketMaxReceiveQueue = (int) positive("WebSocket receive queue", messages);
      return this;
    }

    /**
     * Init-param {@code pagi.fullflush}. Default true.
     *
     * @param enabled whether {@code http.fullflush} is advertised and accepted
     * @return this
     */
    public Builder fullflush(boolean enabled) {
      this.fullflush = enabled;
      return this;
    }

    /**
     * @return the configuration
     * @throws IllegalArgumentException when the low-water mark exceeds the high one
     */
    public PagiConfig build() {
      return new PagiConfig(this);
    }

    private static long nonNegative(String what, long value) {
      if (value < 0) {
        throw new IllegalArgumentException("Expected " + what + " >= 0 but got " + value);
      }
      return value;
    }

    private static long positive(String what, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException("Expected " + what + " > 0 but got " + value);
      }
      return value;
    }

    private static Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("Expected " + what + " > 0 but got " + value);
      }
      return value;
    }
  }
}
