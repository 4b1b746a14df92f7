package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ScopeBuilderTest {
  private static String decode(String raw) {
    return ScopeBuilder.decodePath(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void plainAsciiPathIsKeptAsIs() {
    assertEquals("/a/b.txt", decode("/a/b.txt"));
  }

  @Test
  void percentEncodedUtf8IsDecoded() {
    assertEquals("/caf\u00e9 x", decode("/caf%C3%A9%20x"));
  }

  @Test
  void invalidUtf8FallsBackToOneCharPerByte() {
    assertEquals("/\u00ff", decode("/%FF"));
  }

  @Test
  void incompleteEscapesStayLiteral() {
    assertEquals("/50%", decode("/50%"));
    assertEquals("/%zz", decode("/%zz"));
  }
}
