package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TlsExtensionTest {

  @Test
  void cipherSuiteNamesMapToIanaIds() {
    assertEquals(0x1301, TlsExtension.cipherId("TLS_AES_128_GCM_SHA256"));
    assertEquals(0xC02F, TlsExtension.cipherId("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    assertEquals(0x002F, TlsExtension.cipherId("SSL_RSA_WITH_AES_128_CBC_SHA"));
    assertNull(TlsExtension.cipherId("TLS_MADE_UP"));
    assertNull(TlsExtension.cipherId(null));
  }

  @Test
  void unknownSessionDetailsAreNullButEveryKeyIsPresent() {
    Map<String, Object> tls = TlsExtension.build(null, null, null, null);
    assertEquals(
        List.of(
            "server_cert",
            "client_cert_chain",
            "client_cert_name",
            "client_cert_error",
            "tls_version",
            "cipher_suite"),
        List.copyOf(tls.keySet()));
    assertEquals(List.of(), tls.get("client_cert_chain"));
    assertNull(tls.get("tls_version"));
  }

  @Test
  void portableSupportReadsTheServletAttributes() {
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getAttribute(TlsExtension.CIPHER_ATTRIBUTE)).thenReturn("TLS_AES_256_GCM_SHA384");
    when(req.getAttribute("org.apache.tomcat.util.net.secure_protocol_version"))
        .thenReturn("TLSv1.2");
    Map<String, Object> tls = new ContainerSupports.Portable().tlsExtension(req);
    assertEquals(0x1302, tls.get("cipher_suite"));
    assertEquals(0x0303, tls.get("tls_version"));
    assertNull(tls.get("server_cert"));
    assertEquals(List.of(), tls.get("client_cert_chain"));
  }

  @Test
  void portableSupportPrefersAPublishedSession() throws Exception {
    javax.net.ssl.SSLSession session = mock(javax.net.ssl.SSLSession.class);
    when(session.getProtocol()).thenReturn("TLSv1.3");
    when(session.getCipherSuite()).thenReturn("TLS_CHACHA20_POLY1305_SHA256");
    when(session.getPeerCertificates())
        .thenThrow(new javax.net.ssl.SSLPeerUnverifiedException("none"));
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getAttribute(TlsExtension.SESSION_ATTRIBUTE)).thenReturn(session);
    when(req.getAttribute(TlsExtension.CIPHER_ATTRIBUTE)).thenReturn("TLS_AES_128_GCM_SHA256");
    Map<String, Object> tls = new ContainerSupports.Portable().tlsExtension(req);
    assertEquals(0x0304, tls.get("tls_version"));
    assertEquals(0x1303, tls.get("cipher_suite"));
    assertEquals(List.of(), tls.get("client_cert_chain"));
  }
}
