package dev.pagi.runner.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The key formats {@code --key} accepts, built here byte by byte. */
@Timeout(30)
class PemKeyStoreTest {
  @TempDir Path dir;

  private Path pem(String type, byte[] der) throws Exception {
    Path file = dir.resolve(type.replace(' ', '-') + ".pem");
    Files.writeString(
        file,
        "some comment\n-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n");
    return file;
  }

  @Test
  void pkcs8KeyIsReadAsIs() throws Exception {
    PrivateKey key = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
    PrivateKey read = PemKeyStore.privateKey(pem("PRIVATE KEY", key.getEncoded()));
    assertArrayEquals(key.getEncoded(), read.getEncoded());
  }

  @Test
  void pkcs1RsaKeyIsRewrapped() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    PrivateKey key = gen.generateKeyPair().getPrivate();
    // PKCS#8 = SEQUENCE { version, algorithm, OCTET STRING pkcs1 }: the PKCS#1 key is its tail.
    byte[] pkcs8 = key.getEncoded();
    byte[] pkcs1 = lastOctetString(pkcs8);
    PrivateKey read = PemKeyStore.privateKey(pem("RSA PRIVATE KEY", pkcs1));
    assertEquals("RSA", read.getAlgorithm());
    assertArrayEquals(pkcs8, read.getEncoded());
  }

  @Test
  void sec1EcKeyWithNamedCurveIsRewrapped() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    ECPrivateKey key = (ECPrivateKey) gen.generateKeyPair().getPrivate();
    byte[] scalar = unsigned(key.getS(), 32);
    byte[] curve = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x01});
    body.write(0x04);
    body.write(scalar.length);
    body.writeBytes(scalar);
    body.write(0xa0);
    body.write(curve.length);
    body.writeBytes(curve);
    byte[] content = body.toByteArray();
    byte[] sec1 = new byte[content.length + 2];
    sec1[0] = 0x30;
    sec1[1] = (byte) content.length;
    System.arraycopy(content, 0, sec1, 2, content.length);
    ECPrivateKey read = (ECPrivateKey) PemKeyStore.privateKey(pem("EC PRIVATE KEY", sec1));
    assertEquals(key.getS(), read.getS());
  }

  @Test
  void encryptedKeyIsRejectedWithAHint() throws Exception {
    Path file = pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00});
    GeneralSecurityException e =
        assertThrows(GeneralSecurityException.class, () -> PemKeyStore.privateKey(file));
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
  }

  @Test
  void fileWithoutCertificateSaysWhatWasExpected() throws Exception {
    Path file = dir.resolve("empty.pem");
    Files.writeString(file, "nothing here\n");
    GeneralSecurityException e =
        assertThrows(GeneralSecurityException.class, () -> PemKeyStore.certificates(file));
    assertEquals(
        "Expected '-----BEGIN CERTIFICATE-----' in " + file + " but found none", e.getMessage());
  }

  private static byte[] unsigned(BigInteger n, int length) {
    byte[] b = n.toByteArray();
    if (b.length == length) {
      return b;
    }
    byte[] out = new byte[length];
    int copy = Math.min(b.length, length);
    System.arraycopy(b, b.length - copy, out, length - copy, copy);
    return out;
  }

  /** The content of the last top-level OCTET STRING inside a DER SEQUENCE (long form lengths). */
  private static byte[] lastOctetString(byte[] der) {
    int pos = header(der, 0)[0];
    byte[] last = null;
    while (pos < der.length) {
      int[] h = header(der, pos);
      if (der[pos] == 0x04) {
        last = Arrays.copyOfRange(der, h[0], h[0] + h[1]);
      }
      pos = h[0] + h[1];
    }
    return last;
  }

  private static int[] header(byte[] der, int pos) {
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
    return new int[] {off, len};
  }
}
