package dev.pagi.runner;

import dev.pagi.PagiApp;
import dev.pagi.servlet.PagiConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * An embedded Jetty 12 server running one PAGI application (or a WAR): HTTP/1.1 and HTTP/2
 * cleartext (prior knowledge and {@code Upgrade: h2c}) on one port, optionally HTTP/2 over TLS with
 * ALPN (falling back to HTTP/1.1) on a second port, WebSocket over both (RFC 8441 on HTTP/2).
 * Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * try (PagiServer server = PagiServer.builder().app(new Hello()).port(0).build().start()) {
 *   System.out.println("listening on " + server.uri());
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>{@link #start()} binds the ports only after the application started: when its lifespan startup
 * fails ({@code lifespan.startup.failed} or a timeout) no port ever accepts a connection and {@code
 * start()} throws a {@link StartupException} with the application's message. {@link #close()} stops
 * gracefully: the ports stop accepting, in-flight requests get up to the shutdown timeout to
 * finish, then live PAGI exchanges end with {@code server_shutdown} and the lifespan shutdown runs.
 * A server can be started once; every method is thread-safe.
 */
public final class PagiServer implements AutoCloseable {

  /** Whether the TLS port asks clients for a certificate. */
  public enum ClientAuth {
    /** Never ask. */
    NONE,
    /** Ask; a client without a certificate is still served. */
    WANT,
    /** Require a certificate trusted by the trust store; others fail the handshake. */
    NEED
  }

  private final Settings settings;
  private final JettyAssembly assembly;

  private PagiServer(Builder b) {
    this.settings = new Settings(b);
    this.assembly = new JettyAssembly(settings);
  }

  /**
   * @return a builder with the defaults: host 127.0.0.1, port 8080, h2c on, no TLS
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the application (servlet init and lifespan startup), then opens the ports.
   *
   * @return this
   * @throws StartupException when the application or the WAR could not start (for example {@code
   *     lifespan.startup.failed}); no port was opened
   * @throws java.io.IOException when a port cannot be bound; the application was stopped again
   * @throws IllegalStateException when called twice
   * @throws Exception any other failure of Jetty's start
   */
  public PagiServer start() throws Exception {
    assembly.start();
    return this;
  }

  /**
   * @return the cleartext base URI ({@code http://host:port/root/}) of a started server
   * @throws IllegalStateException before {@link #start()}
   */
  public URI uri() {
    return assembly.uri();
  }

  /**
   * @return the TLS base URI ({@code https://host:port/root/}), or {@code null} without a TLS port
   * @throws IllegalStateException before {@link #start()}
   */
  public URI tlsUri() {
    return assembly.tlsUri();
  }

  /**
   * @return the bound cleartext port (useful with port 0)
   */
  public int port() {
    return uri().getPort();
  }

  /**
   * Blocks until the server has stopped (by {@link #close()} from another thread).
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitStop() throws InterruptedException {
    assembly.awaitStop();
  }

  /**
   * @return live PAGI exchanges of the embedded application (0 for a WAR): a gauge for monitoring
   */
  public int activeExchanges() {
    return assembly.activeExchanges();
  }

  /**
   * Stops gracefully (see the class doc), waiting at most the shutdown timeout for in-flight
   * requests plus the lifespan shutdown timeout. Idempotent; a server never started just releases
   * its resources.
   */
  @Override
  public void close() {
    assembly.stop();
  }

  @Override
  public String toString() {
    return "PagiServer{" + settings.describe() + "}";
  }

  /** The validated settings, read by {@link JettyAssembly}. */
  static final class Settings {
    final PagiApp app;
    final Path war;
    final String host;
    final int port;
    final String rootPath;
    final boolean h2c;
    final int tlsPort;
    final Path keystore;
    final String keystorePassword;
    final String keystoreType;
    final Path cert;
    final Path key;
    final ClientAuth clientAuth;
    final Path truststore;
    final String truststorePassword;
    final String accessLog;
    final PagiConfig config;
    final Duration idleTimeout;
    final int threads;
    final Duration shutdownTimeout;
    final ClassLoader classLoader;

    private Settings(Builder b) {
      if ((b.app == null) == (b.war == null)) {
        throw new IllegalArgumentException(
            "Expected exactly one of app or war but got " + (b.app == null ? "neither" : "both"));
      }
      if (b.tlsPort >= 0) {
        if ((b.keystore == null) == (b.cert == null)) {
          throw new IllegalArgumentException(
              "Expected a keystore or a PEM certificate and key for the TLS port but got "
                  + (b.keystore == null ? "neither" : "both"));
        }
        if (b.cert != null && b.key == null) {
          throw new IllegalArgumentException(
              "Expected a PEM private key (key) with the PEM certificate but got none");
        }
      } else if (b.keystore != null || b.cert != null) {
        throw new IllegalArgumentException(
            "Expected a TLS port with the keystore or certificate but got none");
      }
      if (b.clientAuth != ClientAuth.NONE && b.tlsPort < 0) {
        throw new IllegalArgumentException(
            "Expected a TLS port with client authentication '"
                + b.clientAuth.name().toLowerCase(java.util.Locale.ROOT)
                + "' but got none");
      }
      this.app = b.app;
      this.war = b.war;
      this.host = b.host;
      this.port = b.port;
      this.rootPath = b.rootPath;
      this.h2c = b.h2c;
      this.tlsPort = b.tlsPort;
      this.keystore = b.keystore;
      this.keystorePassword = b.keystorePassword;
      this.keystoreType = b.keystoreType;
      this.cert = b.cert;
      this.key = b.key;
      this.clientAuth = b.clientAuth;
      this.truststore = b.truststore;
      this.truststorePassword = b.truststorePassword;
      this.accessLog = b.accessLog;
      this.config = b.config;
      this.idleTimeout = b.idleTimeout;
      this.threads = b.threads;
      this.shutdownTimeout = b.shutdownTimeout;
      this.classLoader = b.classLoader;
    }

    String describe() {
      return (app != null ? "app=" + app.getClass().getName() : "war=" + war)
          + ", host="
          + host
          + ", port="
          + port
          + (tlsPort >= 0 ? ", tlsPort=" + tlsPort : "")
          + ", rootPath='"
          + rootPath
          + "'";
    }
  }

  /**
   * Builds a {@link PagiServer}. Every setter validates its argument; {@link #build()} the rest.
   */
  public static final class Builder {
    private PagiApp app;
    private Path war;
    private String host = "127.0.0.1";
    private int port = 8080;
    private String rootPath = "";
    private boolean h2c = true;
    private int tlsPort = -1;
    private Path keystore;
    private String keystorePassword = "";
    private String keystoreType;
    private Path cert;
    private Path key;
    private ClientAuth clientAuth = ClientAuth.NONE;
    private Path truststore;
    private String truststorePassword = "";
    private String accessLog;
    private PagiConfig config = PagiConfig.defaults();
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int threads = 200;
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private ClassLoader classLoader;

    private Builder() {}

    /**
     * The application, mounted at the root path through {@code PagiServlet}. Exclusive with {@link
     * #war}.
     *
     * @param app the application
     * @return this
     */
    public Builder app(PagiApp app) {
      this.app = Objects.requireNonNull(app, "app");
      return this;
    }

    /**
     * A WAR file (or exploded directory) deployed through Jetty's ee10 webapp support with
     * annotation and {@code ServletContainerInitializer} scanning. It must bring its own {@code
     * pagi-servlet} jar in {@code WEB-INF/lib}. Exclusive with {@link #app}.
     *
     * @param war the WAR
     * @return this
     */
    public Builder war(Path war) {
      this.war = Objects.requireNonNull(war, "war");
      return this;
    }

    /**
     * @param host the address to bind ({@code 0.0.0.0} or {@code ::} for all); default 127.0.0.1
     * @return this
     */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("Expected a host name or address but got ''");
      }
      this.host = host;
      return this;
    }

    /**
     * @param port the cleartext port, 0 for any free port; default 8080
     * @return this
     */
    public Builder port(int port) {
      this.port = checkPort("port", port);
      return this;
    }

    /**
     * The path the application is mounted under: its scopes get it as {@code root_path}. Default
     * {@code ""} (the root).
     *
     * @param rootPath empty, or a path starting with {@code /} and not ending with one
     * @return this
     */
    public Builder rootPath(String rootPath) {
      Objects.requireNonNull(rootPath, "rootPath");
      String p = rootPath.equals("/") ? "" : rootPath;
      if (!p.isEmpty() && (!p.startsWith("/") || p.endsWith("/"))) {
        throw new IllegalArgumentException(
            "Expected a root path like '/api' (leading '/', no trailing '/') but got '"
                + rootPath
                + "'");
      }
      this.rootPath = p;
      return this;
    }

    /**
     * @param enabled whether the cleartext port also speaks HTTP/2 (prior knowledge and {@code
     *     Upgrade: h2c}); default true
     * @return this
     */
    public Builder h2c(boolean enabled) {
      this.h2c = enabled;
      return this;
    }

    /**
     * Opens a TLS port (h2 via ALPN, falling back to HTTP/1.1). Needs {@link #keystore} or {@link
     * #pem}.
     *
     * @param port the TLS port, 0 for any free port
     * @return this
     */
    public Builder tlsPort(int port) {
      this.tlsPort = checkPort("TLS port", port);
      return this;
    }

    /**
     * The server's key and certificate from a key store. The type is PKCS12 unless the file name
     * ends with {@code .jks}.
     *
     * @param keystore a PKCS12 or JKS file
     * @param password its password (also the key's)
     * @return this
     */
    public Builder keystore(Path keystore, String password) {
      this.keystore = Objects.requireNonNull(keystore, "keystore");
      this.keystorePassword = Objects.requireNonNull(password, "password");
      this.keystoreType = storeType(keystore);
      return this;
    }

    /**
     * The server's certificate chain and private key as PEM files (an unencrypted PKCS#8 {@code
     * PRIVATE KEY}, or a PKCS#1 {@code RSA PRIVATE KEY}).
     *
     * @param cert the certificate chain, leaf first
     * @param key the private key
     * @return this
     */
    public Builder pem(Path cert, Path key) {
      this.cert = Objects.requireNonNull(cert, "cert");
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * @param clientAuth whether the TLS port asks for client certificates; default none
     * @return this
     */
    public Builder clientAuth(ClientAuth clientAuth) {
      this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
      return this;
    }

    /**
     * The certificates client certificates are verified against (default: the JVM's).
     *
     * @param truststore a PKCS12 or JKS file
     * @param password its password
     * @return this
     */
    public Builder truststore(Path truststore, String password) {
      this.truststore = Objects.requireNonNull(truststore, "truststore");
      this.truststorePassword = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Writes an access log line per request in the combined log format (NCSA extended: with referer
     * and user agent).
     *
     * @param target a file name, or {@code "-"} for standard output; null for none (the default)
     * @return this
     */
    public Builder accessLog(String target) {
      if (target != null && target.isBlank()) {
        throw new IllegalArgumentException("Expected a file name or '-' but got ''");
      }
      this.accessLog = target;
      return this;
    }

    /**
     * Settings of the embedded application's {@code PagiServlet} (limits, marks, lifespan). Not
     * used for a WAR, which configures its own servlet.
     *
     * @param config the settings; default {@link PagiConfig#defaults()}
     * @return this
     */
    public Builder config(PagiConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * @param timeout how long a connection (or HTTP/2 stream) may go without traffic while no
     *     response is in progress or while a read or write is stalled; default 30 s. A quiet
     *     streaming response is not cut.
     * @return this
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idle timeout", timeout);
      return this;
    }

    /**
     * @param threads the most threads Jetty's pool may use (at least 8: acceptors and selectors of
     *     both ports need some); default 200
     * @return this
     */
    public Builder threads(int threads) {
      if (threads < 8) {
        throw new IllegalArgumentException("Expected threads >= 8 but got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * @param timeout how long {@link #close()} lets in-flight requests finish; default 10 s
     * @return this
     */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = positive("shutdown timeout", timeout);
      return this;
    }

    /**
     * The class loader the application's context uses (Jetty makes it the thread context class
     * loader while the application runs), for an application loaded from extra jars. Not used for a
     * WAR, which has its own. Default: the loader of this class.
     *
     * @param classLoader the loader
     * @return this
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * @return the server, not yet started
     * @throws IllegalArgumentException when the settings do not fit together (no app, TLS files
     *     without a TLS port, ...)
     */
    public PagiServer build() {
      return new PagiServer(this);
    }

    private static int checkPort(String what, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "Expected " + what + " between 0 and 65535 but got " + port);
      }
      return port;
    }

    private static Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("Expected " + what + " > 0 but got " + value);
      }
      return value;
    }

    static String storeType(Path store) {
      String name = store.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      return name.endsWith(".jks") ? "JKS" : "PKCS12";
    }
  }
}
