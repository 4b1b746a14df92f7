package dev.pagi.servlet;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key stores generated at test time with the JDK's keytool: a server identity for 127.0.0.1, a
 * client identity ({@code CN=alice,O=Example}) and trust stores holding each other's certificate.
 */
final class TestCerts {
  static final String PASSWORD = "changeit";
  final Path dir;
  final Path server;
  final Path client;
  final Path serverTrust;
  final Path clientTrust;

  TestCerts() throws Exception {
    dir = Files.createTempDirectory("pagi-certs");
    server = dir.resolve("server.p12");
    client = dir.resolve("client.p12");
    serverTrust = dir.resolve("server-trust.p12");
    clientTrust = dir.resolve("client-trust.p12");
    genkey(server, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
    genkey(client, "client", "CN=alice,O=Example", null);
    Path serverCert = dir.resolve("server.pem");
    Path clientCert = dir.resolve("client.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        server.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        serverCert.toString());
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "client",
        "-keystore",
        client.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        clientCert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "client",
        "-file",
        clientCert.toString(),
        "-keystore",
        serverTrust.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "server",
        "-file",
        serverCert.toString(),
        "-keystore",
        clientTrust.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
  }

  /** A client SSL context trusting the server, presenting the client identity when asked. */
  SSLContext clientContext(boolean withIdentity) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(clientTrust));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(client), PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(withIdentity ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static KeyStore load(Path file) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private static void genkey(Path store, String alias, String dname, String ext) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD));
    if (ext != null) {
      args.add("-ext");
      args.add(ext);
    }
    keytool(args.toArray(new String[0]));
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
