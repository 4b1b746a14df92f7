package dev.pagi.runner;

import dev.pagi.PagiApp;
import dev.pagi.internal.AppLoader;
import dev.pagi.runner.examples.Examples;
import dev.pagi.runner.internal.CliValues;
import dev.pagi.servlet.PagiConfig;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of {@link Main} and how they become a {@link PagiServer}: every combination that
 * cannot work is a usage error naming the option.
 */
final class Options {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  static final class Source {
    @Option(
        names = "--app",
        paramLabel = "CLASS|NAME",
        order = 1,
        description =
            "The application: a class with a public no-arg constructor, Class::factory for a"
                + " public static no-arg method, or the name of an example app (see below)."
                + " Default: demo.")
    String app;

    @Option(
        names = "--war",
        paramLabel = "FILE",
        order = 2,
        description =
            "Deploy a WAR file or directory through Jetty's ee10 webapp support, with annotation"
                + " and ServletContainerInitializer scanning. It must contain the pagi-servlet"
                + " jar in WEB-INF/lib.")
    Path war;
  }

  @Option(
      names = "--classpath",
      paramLabel = "JARS",
      order = 3,
      description =
          "Jars or class directories to load --app from, separated by '${sys:path.separator}'.")
  String classpath;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      order = 10,
      defaultValue = "127.0.0.1",
      description = "Address to bind; 0.0.0.0 or :: for all interfaces. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      order = 11,
      defaultValue = "8080",
      converter = CliValues.Port.class,
      description = "Cleartext port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--root-path",
      paramLabel = "PATH",
      order = 12,
      defaultValue = "",
      description = "Mount the application under PATH (such as /api); scopes get it as root_path.")
  String rootPath;

  @Option(
      names = "--h2c",
      negatable = true,
      order = 13,
      defaultValue = "true",
      fallbackValue = "true",
      description = "HTTP/2 cleartext on the cleartext port. On by default; --no-h2c turns it off.")
  boolean h2c;

  @Option(
      names = "--tls-port",
      paramLabel = "PORT",
      order = 20,
      converter = CliValues.Port.class,
      description =
          "Also serve HTTPS on PORT (0 for a free one): h2 by ALPN, else HTTP/1.1. Needs"
              + " --keystore or --cert and --key.")
  Integer tlsPort;

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      order = 21,
      description = "Server key and certificate, PKCS12 (or JKS when the name ends in .jks).")
  Path keystore;

  @Option(
      names = "--keystore-password",
      paramLabel = "PASSWORD",
      order = 22,
      defaultValue = "${env:PAGI_KEYSTORE_PASSWORD}",
      description = "Password of --keystore. Default: $PAGI_KEYSTORE_PASSWORD, else empty.")
  String keystorePassword;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      order = 23,
      description = "Server certificate chain as PEM, leaf first (instead of --keystore).")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      order = 24,
      description = "Private key of --cert as PEM: PKCS#8, or PKCS#1 RSA / SEC1 EC, unencrypted.")
  Path key;

  @Option(
      names = "--client-auth",
      paramLabel = "MODE",
      order = 25,
      defaultValue = "none",
      converter = CliValues.ClientAuthMode.class,
      description =
          "Ask TLS clients for a certificate: none, want (optional) or need (required)."
              + " Default: ${DEFAULT-VALUE}.")
  PagiServer.ClientAuth clientAuth;

  @Option(
      names = "--truststore",
      paramLabel = "FILE",
      order = 26,
      description = "Certificates that client certificates must chain to. Default: the JVM's.")
  Path truststore;

  @Option(
      names = "--truststore-password",
      paramLabel = "PASSWORD",
      order = 27,
      defaultValue = "${env:PAGI_TRUSTSTORE_PASSWORD}",
      description = "Password of --truststore. Default: $PAGI_TRUSTSTORE_PASSWORD, else empty.")
  String truststorePassword;

  @Option(
      names = "--access-log",
      paramLabel = "FILE|-",
      order = 30,
      description = "Log each request in the combined log format to FILE, or to stdout with '-'.")
  String accessLog;

  @Option(
      names = "--max-body-size",
      paramLabel = "SIZE",
      order = 40,
      converter = CliValues.Size.class,
      description = "Largest request body; 0 for no limit. Default: 10m.")
  Long maxBodySize;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      order = 41,
      converter = CliValues.Time.class,
      description =
          "Close a connection (or HTTP/2 stream) after this long without traffic while no"
              + " response is in progress, or while a read or write is stalled. Quiet streaming"
              + " responses, SSE streams and WebSockets are not cut. Default: 30s.")
  Duration idleTimeout;

  @Option(
      names = "--sse-idle-timeout",
      paramLabel = "DURATION",
      order = 42,
      converter = CliValues.Time.class,
      description =
          "End an SSE stream with idle_timeout when the app sends nothing this long; 0 for"
              + " never. Default: 0.")
  Duration sseIdleTimeout;

  @Option(
      names = "--ws-max-message-size",
      paramLabel = "SIZE",
      order = 43,
      converter = CliValues.Size.class,
      description = "Largest inbound WebSocket message. Default: 1m.")
  Long wsMaxMessageSize;

  @Option(
      names = "--high-water-mark",
      paramLabel = "SIZE",
      order = 44,
      converter = CliValues.Size.class,
      description = "Buffered response bytes at which a send waits (pagi.transport). Default: 64k.")
  Long highWaterMark;

  @Option(
      names = "--low-water-mark",
      paramLabel = "SIZE",
      order = 45,
      converter = CliValues.Size.class,
      description = "Buffered bytes below which waiting sends resume. Default: 16k.")
  Long lowWaterMark;

  @Option(
      names = "--lifespan",
      paramLabel = "MODE",
      order = 50,
      converter = CliValues.LifespanMode.class,
      description =
          "auto: run the lifespan protocol, an app may decline it; on: the same, warning on a"
              + " decline; off: never. Default: auto.")
  PagiConfig.LifespanMode lifespan;

  @Option(
      names = "--lifespan-timeout",
      paramLabel = "DURATION",
      order = 51,
      converter = CliValues.Time.class,
      description = "How long startup and shutdown may take. Default: 30s.")
  Duration lifespanTimeout;

  @Option(
      names = "--shutdown-timeout",
      paramLabel = "DURATION",
      order = 52,
      converter = CliValues.Time.class,
      description = "How long in-flight requests may take to finish on shutdown. Default: 10s.")
  Duration shutdownTimeout;

  @Option(
      names = "--threads",
      paramLabel = "N",
      order = 53,
      description = "Most threads in Jetty's pool (at least 8). Default: 200.")
  Integer threads;

  /** What the banner says is served. */
  String describeApp() {
    if (source != null && source.war != null) {
      return "WAR " + source.war;
    }
    return source == null || source.app == null ? "demo" : source.app;
  }

  /** Validates option combinations and builds the server. */
  PagiServer build() {
    PagiServer.Builder b = PagiServer.builder();
    if (source != null && source.war != null) {
      if (!Files.exists(source.war)) {
        throw usage("Invalid value for option '--war': no such file '" + source.war + "'");
      }
      if (classpath != null) {
        throw usage("Option '--classpath' applies to --app only, not --war");
      }
      String adapterOption = adapterOption();
      if (adapterOption != null) {
        throw usage(
            "Option '"
                + adapterOption
                + "' applies to --app only; a WAR sets pagi.* init-params in its web.xml");
      }
      b.war(source.war);
    } else {
      String name = source == null ? "demo" : source.app;
      ClassLoader loader = loader();
      PagiApp app = Examples.byName(name);
      if (app == null) {
        try {
          app = AppLoader.instantiate(name, loader);
        } catch (IllegalArgumentException e) {
          throw usage("Invalid value for option '--app': " + e.getMessage());
        }
      }
      b.app(app);
      if (loader != Options.class.getClassLoader()) {
        b.classLoader(loader);
      }
    }
    try {
      b.host(host).port(port).rootPath(rootPath).h2c(h2c);
    } catch (IllegalArgumentException e) {
      throw usage("Invalid value for option '--root-path': " + e.getMessage());
    }
    tls(b);
    if (accessLog != null) {
      b.accessLog(accessLog);
    }
    if (idleTimeout != null) {
      b.idleTimeout(positive("--idle-timeout", idleTimeout));
    }
    if (shutdownTimeout != null) {
      b.shutdownTimeout(positive("--shutdown-timeout", shutdownTimeout));
    }
    if (threads != null) {
      if (threads < 8) {
        throw usage("Invalid value for option '--threads': expected at least 8 but got " + threads);
      }
      b.threads(threads);
    }
    b.config(config());
    return b.build();
  }

  private void tls(PagiServer.Builder b) {
    boolean files = keystore != null || cert != null || key != null;
    if (tlsPort == null) {
      if (files) {
        throw usage("Options '--keystore', '--cert' and '--key' need '--tls-port'");
      }
      if (clientAuth != PagiServer.ClientAuth.NONE || truststore != null) {
        throw usage("Options '--client-auth' and '--truststore' need '--tls-port'");
      }
      return;
    }
    b.tlsPort(tlsPort);
    if (keystore != null) {
      if (cert != null || key != null) {
        throw usage("Option '--keystore' excludes '--cert' and '--key'");
      }
      b.keystore(existing("--keystore", keystore), orEmpty(keystorePassword));
    } else if (cert != null && key != null) {
      b.pem(existing("--cert", cert), existing("--key", key));
    } else {
      throw usage("Option '--tls-port' needs '--keystore', or '--cert' with '--key'");
    }
    b.clientAuth(clientAuth);
    if (truststore != null) {
      b.truststore(existing("--truststore", truststore), orEmpty(truststorePassword));
    }
  }

  private PagiConfig config() {
    PagiConfig.Builder c = PagiConfig.builder();
    try {
      if (maxBodySize != null) {
        c.maxBodySize(maxBodySize);
      }
      if (highWaterMark != null) {
        c.highWaterMark(intSize("--high-water-mark", highWaterMark));
      }
      if (lowWaterMark != null) {
        c.lowWaterMark(intSize("--low-water-mark", lowWaterMark));
      }
      if (wsMaxMessageSize != null) {
        c.websocketMaxMessageSize(wsMaxMessageSize);
      }
      if (sseIdleTimeout != null) {
        c.sseIdleTimeout(sseIdleTimeout);
      }
      if (lifespan != null) {
        c.lifespanMode(lifespan);
      }
      if (lifespanTimeout != null) {
        c.lifespanStartupTimeout(positive("--lifespan-timeout", lifespanTimeout));
        c.lifespanShutdownTimeout(lifespanTimeout);
      }
      return c.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage().replace("Expected ", "Expected option values with "));
    }
  }

  /** The first option given that configures the embedded app's servlet, or null. */
  private String adapterOption() {
    Object[][] options = {
      {"--max-body-size", maxBodySize},
      {"--sse-idle-timeout", sseIdleTimeout},
      {"--ws-max-message-size", wsMaxMessageSize},
      {"--high-water-mark", highWaterMark},
      {"--low-water-mark", lowWaterMark},
      {"--lifespan", lifespan},
      {"--lifespan-timeout", lifespanTimeout},
    };
    for (Object[] o : options) {
      if (o[1] != null) {
        return (String) o[0];
      }
    }
    return null;
  }

  private ClassLoader loader() {
    ClassLoader parent = Options.class.getClassLoader();
    if (classpath == null) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry.trim());
      if (!Files.exists(p)) {
        throw usage("Invalid value for option '--classpath': no such file '" + entry + "'");
      }
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        throw usage("Invalid value for option '--classpath': " + e.getMessage());
      }
    }
    return new URLClassLoader("pagi-app", urls.toArray(new URL[0]), parent);
  }

  private Path existing(String option, Path file) {
    if (!Files.isReadable(file)) {
      throw usage("Invalid value for option '" + option + "': cannot read '" + file + "'");
    }
    return file;
  }

  private Duration positive(String option, Duration d) {
    if (d.isZero()) {
      throw usage("Invalid value for option '" + option + "': expected more than 0");
    }
    return d;
  }

  private int intSize(String option, long bytes) {
    if (bytes > Integer.MAX_VALUE || bytes <= 0) {
      throw usage("Invalid value for option '" + option + "': expected 1 to 2g-1 bytes");
    }
    return (int) bytes;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
