package dev.pagi.internal;

import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Builds the {@code tls} scope extension (Tls.pod) from what a container knows about the TLS
 * session. Containers report the cipher suite and protocol by name, the spec wants the numbers of
 * the wire protocol, so both are looked up here; a name not in the tables gives {@code null}, which
 * the spec allows.
 */
public final class TlsExtension {
  private TlsExtension() {}

  /** Request attribute with the client's certificate chain (Servlet spec). */
  public static final String CERT_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  /** Request attribute with the cipher suite name (Servlet spec). */
  public static final String CIPHER_ATTRIBUTE = "jakarta.servlet.request.cipher_suite";

  /**
   * Request attribute a launcher may set to the connection's {@link javax.net.ssl.SSLSession} (a
   * JDK type, so a WAR that cannot see the container's classes can still read it); with it the
   * portable support reports every field. The Jetty launcher sets it.
   */
  public static final String SESSION_ATTRIBUTE = "dev.pagi.tls.session";

  /**
   * @param session a TLS session
   * @return the extension map for it
   */
  public static Map<String, Object> build(javax.net.ssl.SSLSession session) {
    Certificate[] local = session.getLocalCertificates();
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      peer = null;
    }
    return build(
        local == null || local.length == 0 ? null : local[0],
        peer,
        session.getProtocol(),
        session.getCipherSuite());
  }

  private static final Map<String, Integer> PROTOCOLS =
      Map.of(
          "SSLv3", 0x0300, "TLSv1", 0x0301, "TLSv1.1", 0x0302, "TLSv1.2", 0x0303, "TLSv1.3",
          0x0304);

  /** IANA TLS cipher suite registry, for the suites JSSE and common providers implement. */
  private static final Map<String, Integer> CIPHERS = ciphers();

  /**
   * @param serverCert the certificate the server sent, or null when unknown
   * @param clientChain the client's chain, leaf first; null or empty when none
   * @param protocol the protocol name ({@code TLSv1.3}), or null when unknown
   * @param cipherSuite the cipher suite name ({@code TLS_AES_128_GCM_SHA256}), or null
   * @return the extension map, unmodifiable, with every spec key (values may be null)
   */
  public static Map<String, Object> build(
      Certificate serverCert, Certificate[] clientChain, String protocol, String cipherSuite) {
    Map<String, Object> tls = new LinkedHashMap<>();
    tls.put("server_cert", serverCert == null ? null : pem(serverCert));
    List<String> chain = new ArrayList<>();
    String name = null;
    if (clientChain != null) {
      for (Certificate c : clientChain) {
        String p = pem(c);
        if (p != null) {
          chain.add(p);
        }
      }
      if (clientChain.length > 0 && clientChain[0] instanceof X509Certificate leaf) {
        name = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
      }
    }
    tls.put("client_cert_chain", Collections.unmodifiableList(chain));
    tls.put("client_cert_name", name);
    // A chain that failed verification fails the handshake in JSSE, so no error is ever seen.
    tls.put("client_cert_error", null);
    tls.put("tls_version", protocol == null ? null : PROTOCOLS.get(protocol));
    tls.put("cipher_suite", cipherId(cipherSuite));
    return Collections.unmodifiableMap(tls);
  }

  /**
   * @param name a cipher suite name, with the {@code TLS_} or the older {@code SSL_} prefix
   * @return its 16-bit IANA id, or null when unknown
   */
  static Integer cipherId(String name) {
    if (name == null) {
      return null;
    }
    Integer id = CIPHERS.get(name);
    if (id == null && name.startsWith("SSL_")) {
      id = CIPHERS.get("TLS_" + name.substring(4));
    }
    return id;
  }

  static String pem(Certificate cert) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      return null;
    }
  }

  private static Map<String, Integer> ciphers() {
    Object[] table = {
      "TLS_AES_128_GCM_SHA256", 0x1301,
      "TLS_AES_256_GCM_SHA384", 0x1302,
      "TLS_CHACHA20_POLY1305_SHA256", 0x1303,
      "TLS_AES_128_CCM_SHA256", 0x1304,
      "TLS_AES_128_CCM_8_SHA256", 0x1305,
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02B,
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xC02C,
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F,
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030,
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA8,
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9,
      "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCAA,
      "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009E,
      "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", 0x009F,
      "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", 0x00A2,
      "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", 0x00A3,
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xC023,
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", 0xC024,
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xC027,
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", 0xC028,
      "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", 0x0067,
      "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", 0x006B,
      "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", 0x0040,
      "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", 0x006A,
      "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02D,
      "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", 0xC02E,
      "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", 0xC031,
      "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", 0xC032,
      "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", 0xC025,
      "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", 0xC026,
      "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", 0xC029,
      "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", 0xC02A,
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC009,
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xC00A,
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC013,
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xC014,
      "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", 0xC004,
      "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", 0xC005,
      "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", 0xC00E,
      "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", 0xC00F,
      "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", 0x0033,
      "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", 0x0039,
      "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", 0x0032,
      "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", 0x0038,
      "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009C,
      "TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009D,
      "TLS_RSA_WITH_AES_128_CBC_SHA256", 0x003C,
      "TLS_RSA_WITH_AES_256_CBC_SHA256", 0x003D,
      "TLS_RSA_WITH_AES_128_CBC_SHA", 0x002F,
      "TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035,
      "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", 0xC008,
      "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", 0xC012,
      "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 0x000A,
    };
    Map<String, Integer> m = new java.util.HashMap<>();
    for (int i = 0; i < table.length; i += 2) {
      m.put((String) table[i], (Integer) table[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
