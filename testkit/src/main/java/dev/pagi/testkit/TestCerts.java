package dev.pagi.testkit;

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
public final class TestCerts {
  /** The password of every store and key. */
  public static final String PASSWORD = "changeit";

  /** The directory holding the stores (a fresh temporary directory). */
  public final Path dir;

  /** PKCS#12 store with the server identity ({@code CN=localhost}, SAN 127.0.0.1 and localhost). */
  public final Path server;

  /** PKCS#12 store with the client identity ({@code CN=alice,O=Example}). */
  public final Path client;

  /** PKCS#12 trust store for the server: holds the client's certificate. */
  public final Path serverTrust;

  /** PKCS#12 trust store for the client: holds the server's certificate. */
  public final Path clientTrust;

  /**
   * Generates the stores with the running JDK's {@code keytool}.
   *
   * @throws Exception when keytool fails
   */
  public TestCerts() throws Exception {
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

  /**
   * Writes the server identity as PEM files (certificate, unencrypted PKCS#8 key).
   *
   * @return {certificate file, key file}
   * @throws Exception when the store cannot be read or the files written
   */
  public Path[] serverPem() throws Exception {
    KeyStore ks = load(server);
    java.security.Key key = ks.getKey("server", PASSWORD.toCharArray());
    java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
    Path cert = dir.resolve("server-cert.pem");
    Path keyFile = dir.resolve("server-key.pem");
    Files.writeString(
        cert,
        "-----BEGIN CERTIFICATE-----\n"
            + b64.encodeToString(ks.getCertificate("server").getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    Files.writeString(
        keyFile,
        "-----BEGIN PRIVATE KEY-----\n"
            + b64.encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return new Path[] {cert, keyFile};
  }

  /**
   * A client SSL context trusting the server.
   *
   * @param withIdentity whether to present the client identity when the server asks
   * @return the context
   * @throws Exception when the stores cannot be read
   */
  public SSLContext clientContext(boolean withIdentity) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(clientTrust));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(client), PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(withIdentity ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * Loads one of the stores.
   *
   * @param file {@link #server}, {@link #client}, {@link #serverTrust} or {@link #clientTrust}
   * @return the loaded store
   * @throws Exception when it cannot be read
   */
  public static KeyStore load(Path file) throws Exception {
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
