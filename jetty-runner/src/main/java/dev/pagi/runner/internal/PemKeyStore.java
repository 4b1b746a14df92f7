package dev.pagi.runner.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a PEM certificate chain and private key into an in-memory key store for Jetty's {@code
 * SslContextFactory}. Keys: unencrypted PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519, Ed448),
 * PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}); the last two are rewrapped as
 * PKCS#8, which is all the JDK reads.
 */
public final class PemKeyStore {
  /** The password of the in-memory store and its key entry. */
  public static final String PASSWORD = "pagi";

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final byte[] OID_RSA = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] OID_EC = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private PemKeyStore() {}

  /**
   * @param certFile PEM certificates, leaf first
   * @param keyFile the PEM private key of the leaf
   * @return a PKCS12 key store with one key entry ({@link #PASSWORD})
   * @throws IOException when a file cannot be read
   * @throws GeneralSecurityException when the contents are not a usable certificate or key
   */
  public static KeyStore load(Path certFile, Path keyFile)
      throws IOException, GeneralSecurityException {
    List<Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("pagi", key, PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
    return store;
  }

  static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<Certificate> chain = new ArrayList<>();
    Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    while (m.find()) {
      if (m.group(1).equals("CERTIFICATE")) {
        chain.add(factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
      }
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException(
          "Expected '-----BEGIN CERTIFICATE-----' in " + file + " but found none");
    }
    return chain;
  }

  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    while (m.find()) {
      String type = m.group(1);
      String body = m.group(2);
      if (body.contains("ENCRYPTED") || type.equals("ENCRYPTED PRIVATE KEY")) {
        throw new GeneralSecurityException(
            "Expected an unencrypted private key in "
                + file
                + " but it is encrypted (convert it with: openssl pkcs8 -topk8 -nocrypt)");
      }
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(decode(body), file);
        case "RSA PRIVATE KEY":
          return pkcs8(wrap(OID_RSA, new byte[] {0x05, 0x00}, decode(body)), file);
        case "EC PRIVATE KEY":
          byte[] sec1 = decode(body);
          return pkcs8(wrap(OID_EC, curveOf(sec1, file), sec1), file);
        default:
          // parameters blocks (EC PARAMETERS) and certificates may share the file
      }
    }
    throw new GeneralSecurityException(
        "Expected '-----BEGIN PRIVATE KEY-----' (or RSA/EC PRIVATE KEY) in "
            + file
            + " but found none");
  }

  private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException(
        "Expected an RSA, EC or EdDSA private key in " + file + " but could not read it");
  }

  private static byte[] decode(String base64) {
    return Base64.getMimeDecoder().decode(base64.trim());
  }

  /** PKCS#8 PrivateKeyInfo: SEQUENCE { 0, SEQUENCE { oid, params }, OCTET STRING key }. */
  private static byte[] wrap(byte[] oid, byte[] params, byte[] key) {
    ByteArrayOutputStream alg = new ByteArrayOutputStream();
    alg.writeBytes(oid);
    alg.writeBytes(params);
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes(new byte[] {0x02, 0x01, 0x00});
    info.writeBytes(tlv(0x30, alg.toByteArray()));
    info.writeBytes(tlv(0x04, key));
    return tlv(0x30, info.toByteArray());
  }

  /** The named-curve OID in a SEC1 ECPrivateKey's {@code [0]} parameters, as a DER TLV. */
  private static byte[] curveOf(byte[] sec1, Path file) throws GeneralSecurityException {
    int[] seq = header(sec1, 0);
    int pos = seq[0];
    int end = seq[0] + seq[1];
    while (pos < end) {
      int tag = sec1[pos] & 0xff;
      int[] h = header(sec1, pos);
      if (tag == 0xa0) {
        int[] inner = header(sec1, h[0]);
        return java.util.Arrays.copyOfRange(sec1, h[0], inner[0] + inner[1]);
      }
      pos = h[0] + h[1];
    }
    throw new GeneralSecurityException(
        "Expected a named curve in the EC private key of " + file + " but found none");
  }

  /** Returns {content offset, content length} of the TLV at {@code pos}. */
  private static int[] header(byte[] der, int pos) throws GeneralSecurityException {
    if (pos + 2 > der.length) {
      throw new GeneralSecurityException("Truncated DER structure");
    }
    int len = der[pos + 1] & 0xff;
    int off = pos + 2;
    if (len > 0x80) {
      int n = len & 0x7f;
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[off + i] & 0xff);
      }
      off += n;
    }
    if (off + len > der.length) {
      throw new GeneralSecurityException("Truncated DER structure");
    }
    return new int[] {off, len};
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
