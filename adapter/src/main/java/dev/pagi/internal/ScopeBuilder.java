package dev.pagi.internal;

import dev.pagi.Header;
import dev.pagi.Scope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Builds the keys every request scope (http, sse, websocket) shares, from the servlet request. */
public final class ScopeBuilder {
  private ScopeBuilder() {}

  private static final Map<String, Object> PAGI =
      Map.of("version", Scope.PAGI_VERSION, "spec_version", Scope.PAGI_VERSION);

  /**
   * @param rt the servlet runtime (lifespan state, container support)
   * @param req the request
   * @param type the scope type
   * @return a mutable scope with the common keys; {@code extensions} is a mutable map
   */
  public static Map<String, Object> build(ServletRuntime rt, HttpServletRequest req, String type) {
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put(Scope.TYPE, type);
    scope.put(Scope.PAGI, PAGI);
    scope.put(Scope.HTTP_VERSION, httpVersion(req.getProtocol()));
    scope.put(Scope.METHOD, req.getMethod().toUpperCase(Locale.ROOT));
    scope.put(Scope.SCHEME, req.getScheme());
    String rawPath = req.getRequestURI();
    byte[] rawPathBytes = rawPath.getBytes(StandardCharsets.ISO_8859_1);
    scope.put(Scope.PATH, decodePath(rawPathBytes));
    scope.put(Scope.RAW_PATH, rawPathBytes);
    String query = req.getQueryString();
    scope.put(
        Scope.QUERY_STRING,
        query == null ? new byte[0] : query.getBytes(StandardCharsets.ISO_8859_1));
    scope.put(Scope.ROOT_PATH, rootPath(req));
    scope.put(Scope.HEADERS, headers(req));
    scope.put(Scope.CLIENT, List.of(req.getRemoteAddr(), req.getRemotePort()));
    scope.put(Scope.SERVER, List.of(req.getLocalAddr(), req.getLocalPort()));
    Map<String, Object> state = rt.lifespanState();
    if (state != null) {
      scope.put(Scope.STATE, Collections.synchronizedMap(new LinkedHashMap<>(state)));
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (req.isSecure()) {
      Map<String, Object> tls = rt.container().tlsExtension(req);
      if (tls != null) {
        extensions.put(Scope.EXT_TLS, tls);
      }
    }
    scope.put(Scope.EXTENSIONS, extensions);
    return scope;
  }

  /**
   * The common keys adjusted for a {@code websocket} scope: {@code scheme} ws/wss, no {@code
   * method} (the spec's WebSocket scope has none), {@code subprotocols} from every {@code
   * Sec-WebSocket-Protocol} line split on commas and trimmed.
   *
   * @param rt the servlet runtime
   * @param req the handshake request
   * @return a mutable scope; {@code extensions} is a mutable map
   */
  public static Map<String, Object> websocket(ServletRuntime rt, HttpServletRequest req) {
    Map<String, Object> scope = build(rt, req, Scope.TYPE_WEBSOCKET);
    scope.remove(Scope.METHOD);
    scope.put(Scope.SCHEME, req.isSecure() ? "wss" : "ws");
    List<String> subprotocols = new ArrayList<>();
    for (Enumeration<String> lines = req.getHeaders("Sec-WebSocket-Protocol");
        lines.hasMoreElements(); ) {
      for (String p : lines.nextElement().split(",")) {
        String t = p.trim();
        if (!t.isEmpty()) {
          subprotocols.add(t);
        }
      }
    }
    scope.put(Scope.SUBPROTOCOLS, Collections.unmodifiableList(subprotocols));
    return scope;
  }

  static String httpVersion(String protocol) {
    if (protocol == null) {
      return "1.1";
    }
    return switch (protocol.toUpperCase(Locale.ROOT)) {
      case "HTTP/1.0" -> "1.0";
      case "HTTP/2", "HTTP/2.0" -> "2";
      case "HTTP/3", "HTTP/3.0" -> "3";
      default -> "1.1";
    };
  }

  static String rootPath(HttpServletRequest req) {
    String root = req.getContextPath();
    var mapping = req.getHttpServletMapping();
    if (mapping != null && mapping.getMappingMatch() == MappingMatch.PATH) {
      root += req.getServletPath();
    }
    return root;
  }

  /**
   * Lower-case names of common request headers, found whatever their case: a long-lived scope (an
   * SSE stream) then shares one name string instead of keeping its own lower-cased copy.
   */
  private static final TreeMap<String, String> COMMON_NAMES =
      new TreeMap<>(ScopeBuilder::compareAsciiIgnoreCase);

  static {
    for (String name :
        List.of(
            "accept",
            "accept-encoding",
            "accept-language",
            "authorization",
            "cache-control",
            "connection",
            "content-length",
            "content-type",
            "cookie",
            "host",
            "last-event-id",
            "origin",
            "pragma",
            "referer",
            "sec-fetch-dest",
            "sec-fetch-mode",
            "sec-fetch-site",
            "te",
            "transfer-encoding",
            "upgrade",
            "user-agent",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
            "x-request-id")) {
      COMMON_NAMES.put(name, name);
    }
  }

  /** Compares with only A-Z folded (no Unicode case rules: a non-ASCII name never matches). */
  private static int compareAsciiIgnoreCase(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      int x = a.charAt(i);
      int y = b.charAt(i);
      if (x >= 'A' && x <= 'Z') {
        x += 'a' - 'A';
      }
      if (y >= 'A' && y <= 'Z') {
        y += 'a' - 'A';
      }
      if (x != y) {
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  static String lowerCaseName(String name) {
    String common = COMMON_NAMES.get(name);
    return common != null ? common : name.toLowerCase(Locale.ROOT);
  }

  /** Request headers with lower-case names; several Cookie lines become one, joined by "; ". */
  static List<Header> headers(HttpServletRequest req) {
    List<Header> out = new ArrayList<>();
    List<String> cookies = null;
    int cookieIndex = -1;
    for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
      String name = lowerCaseName(names.nextElement());
      if (name.startsWith(":")) {
        continue;
      }
      for (Enumeration<String> values = req.getHeaders(name); values.hasMoreElements(); ) {
        String value = values.nextElement();
        if (name.equals("cookie")) {
          if (cookies == null) {
            cookies = new ArrayList<>();
            cookieIndex = out.size();
            out.add(null);
          }
          cookies.add(value);
        } else {
          out.add(new Header(name, value));
        }
      }
    }
    if (cookies != null) {
      out.set(cookieIndex, new Header("cookie", String.join("; ", cookies)));
    }
    if (req.getHeader("host") == null && req.getServerName() != null) {
      // HTTP/2 carries the authority as a pseudo-header the container may not expose as Host.
      out.add(0, new Header("host", authority(req)));
    }
    return Collections.unmodifiableList(out);
  }

  /** {@code host[:port]} from the request's server name and port (the port only if not default). */
  static String authority(HttpServletRequest req) {
    String host = req.getServerName();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int port = req.getServerPort();
    boolean standard =
        port <= 0
            || port == 80 && "http".equalsIgnoreCase(req.getScheme())
            || port == 443 && "https".equalsIgnoreCase(req.getScheme());
    return standard ? host : host + ":" + port;
  }

  /**
   * Percent-decodes the path bytes, then decodes UTF-8; when the bytes are not valid UTF-8 the
   * decoded bytes are kept one char per byte (ISO-8859-1) instead of rejecting the request.
   */
  static String decodePath(byte[] raw) {
    boolean plain = true;
    for (byte b : raw) {
      if (b == '%' || b < 0) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return new String(raw, StandardCharsets.ISO_8859_1);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (b == '%' && i + 2 < raw.length) {
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      out.write(b);
    }
    byte[] decoded = out.toByteArray();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(decoded))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(decoded, StandardCharsets.ISO_8859_1);
    }
  }
}
