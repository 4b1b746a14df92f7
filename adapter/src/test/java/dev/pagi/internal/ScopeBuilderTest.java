package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pagi.Header;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
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

  private static HttpServletRequest request(String scheme, String host, int port) {
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getHeaderNames()).thenReturn(Collections.enumeration(List.of("x-a")));
    when(req.getHeaders("x-a")).thenReturn(Collections.enumeration(List.of("1")));
    when(req.getScheme()).thenReturn(scheme);
    when(req.getServerName()).thenReturn(host);
    when(req.getServerPort()).thenReturn(port);
    return req;
  }

  @Test
  void hostComesFromTheAuthorityWhenTheContainerHasNoHostHeader() {
    assertEquals(
        List.of(new Header("host", "example.com:8443"), new Header("x-a", "1")),
        ScopeBuilder.headers(request("http", "example.com", 8443)));
    assertEquals(
        new Header("host", "example.com"),
        ScopeBuilder.headers(request("https", "example.com", 443)).get(0));
    assertEquals(
        new Header("host", "[::1]:8080"),
        ScopeBuilder.headers(request("http", "::1", 8080)).get(0));
  }

  @Test
  void commonHeaderNamesAreSharedWhateverTheirCase() {
    assertSame(ScopeBuilder.lowerCaseName("Accept"), ScopeBuilder.lowerCaseName("ACCEPT"));
    assertSame(ScopeBuilder.lowerCaseName("host"), ScopeBuilder.lowerCaseName("Host"));
    assertEquals("last-event-id", ScopeBuilder.lowerCaseName("Last-Event-ID"));
    assertEquals("x-custom", ScopeBuilder.lowerCaseName("X-Custom"));
  }

  @Test
  void onlyAsciiLettersAreFoldedWhenMatchingCommonNames() {
    // A dotless i is not an i: the name stays what it is, never "authorization".
    assertEquals("author\u0131zation", ScopeBuilder.lowerCaseName("Author\u0131zation"));
  }
}
