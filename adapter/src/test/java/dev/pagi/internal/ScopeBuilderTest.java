package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pagi.Header;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ScopeBuilderTest {
  private static String decode(String raw) {
    return ScopeBuilder.decodePath(raw, raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void plainAsciiPathIsKeptAsIs() {
    assertEquals("/a/b.txt", decode("/a/b.txt"));
    String raw = "/a/b.txt";
    assertSame(raw, ScopeBuilder.decodePath(raw, raw.getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals(
        "/a b", ScopeBuilder.decodePath("/a%20b", "/a%20b".getBytes(StandardCharsets.ISO_8859_1)));
  }

  private static RequestHints hints(Map<String, String> headers) {
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getHeaderNames()).thenReturn(Collections.enumeration(headers.keySet()));
    for (var h : headers.entrySet()) {
      when(req.getHeaders(h.getKey())).thenReturn(Collections.enumeration(List.of(h.getValue())));
    }
    when(req.getScheme()).thenReturn("http");
    when(req.getServerName()).thenReturn("example.com");
    when(req.getServerPort()).thenReturn(80);
    RequestHints hints = new RequestHints();
    ScopeBuilder.headers(null, req, hints);
    return hints;
  }

  @Test
  void theHeaderPassNoticesWhatNeedsACloserLook() {
    RequestHints plain = hints(Map.of("Accept", "text/html, */*", "Host", "example.com"));
    assertFalse(plain.webSocket());
    assertFalse(plain.eventStream());
    assertFalse(plain.transferEncoding());

    assertTrue(hints(Map.of("Accept", "text/html;q=0.9, TEXT/Event-Stream")).eventStream());
    assertTrue(hints(Map.of("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")).webSocket());
    assertTrue(hints(Map.of("sec-websocket-version", "13")).webSocket());
    assertTrue(hints(Map.of("Transfer-Encoding", "chunked")).transferEncoding());
  }

  private static ContainerSupport fields(List<String[]> lines) {
    return new ContainerSupports.Portable() {
      @Override
      public boolean forEachHeader(
          HttpServletRequest request, java.util.function.BiConsumer<String, String> line) {
        lines.forEach(l -> line.accept(l[0], l[1]));
        return true;
      }
    };
  }

  @Test
  void theContentLengthComesFromThePassOnlyWhenItReadTheContainersOwnFields() {
    HttpServletRequest req = request("http", "example.com", 80);
    when(req.getContentLengthLong()).thenReturn(77L);

    RequestHints viaApi = new RequestHints();
    ScopeBuilder.headers(null, req, viaApi);
    assertEquals(77L, viaApi.contentLength(req));

    RequestHints none = new RequestHints();
    ScopeBuilder.headers(fields(List.<String[]>of(new String[] {"host", "a"})), req, none);
    assertEquals(-1L, none.contentLength(req));

    RequestHints declared = new RequestHints();
    ScopeBuilder.headers(
        fields(List.<String[]>of(new String[] {"content-length", " 12 "})), req, declared);
    assertEquals(12L, declared.contentLength(req));

    // Anything the pass cannot read for sure is the container's to answer.
    for (List<String[]> odd :
        List.of(
            List.<String[]>of(new String[] {"content-length", "x"}),
            List.<String[]>of(new String[] {"content-length", "-3"}),
            List.<String[]>of(
                new String[] {"content-length", "1"}, new String[] {"content-length", "1"}))) {
      RequestHints h = new RequestHints();
      ScopeBuilder.headers(fields(odd), req, h);
      assertEquals(77L, h.contentLength(req));
    }
  }

  @Test
  void containsIgnoreCaseFindsThePartAnywhere() {
    assertTrue(RequestHints.containsIgnoreCase("a, Text/Event-Stream;q=1", "text/event-stream"));
    assertTrue(RequestHints.containsIgnoreCase("text/event-stream", "text/event-stream"));
    assertFalse(RequestHints.containsIgnoreCase("text/event-strea", "text/event-stream"));
    assertFalse(RequestHints.containsIgnoreCase("", "text/event-stream"));
  }

  @Test
  void commonMethodsAndProtocolsAreTakenAsTheyCome() {
    assertSame("GET", ScopeBuilder.method("GET"));
    assertEquals("PROPFIND", ScopeBuilder.method("propfind"));
    assertEquals("1.1", ScopeBuilder.httpVersion("HTTP/1.1"));
    assertEquals("2", ScopeBuilder.httpVersion("HTTP/2.0"));
    assertEquals("2", ScopeBuilder.httpVersion("http/2"));
    assertEquals("1.0", ScopeBuilder.httpVersion("HTTP/1.0"));
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
