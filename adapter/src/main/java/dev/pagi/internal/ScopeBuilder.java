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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/** Builds the keys every request scope (http, sse, websocket) shares, from the servlet request. */
public final class ScopeBuilder {
  private ScopeBuilder() {}

  private static final byte[] NO_BYTES = new byte[0];

  private static final Map<String, Object> PAGI =
      Map.of("version", Scope.PAGI_VERSION, "spec_version", Scope.PAGI_VERSION);

  /**
   * @param rt the servlet runtime (lifespan state, container support)
   * @param req the request
   * @param type the scope type
   * @return a mutable scope with the common keys; {@code extensions} is a mutable map
   */
  public static Map<String, Object> build(ServletRuntime rt, HttpServletRequest req, String type) {
    return build(rt, req, type, null);
  }

  /**
   * @param rt the servlet runtime (lifespan state, container support)
   * @param req the request
   * @param type the scope type
   * @param hints filled in from the headers on the way, or null
   * @return a mutable scope with the common keys; {@code extensions} is a mutable map
   */
  public static Map<String, Object> build(
      ServletRuntime rt, HttpServletRequest req, String type, RequestHints hints) {
    ArrayMap scope = new ArrayMap();
    scope.add(Scope.TYPE, type);
    scope.add(Scope.PAGI, PAGI);
    scope.add(Scope.HTTP_VERSION, httpVersion(req.getProtocol()));
    scope.add(Scope.METHOD, method(req.getMethod()));
    String scheme = req.getScheme();
    scope.add(Scope.SCHEME, scheme);
    String rawPath = req.getRequestURI();
    byte[] rawPathBytes = rawPath.getBytes(StandardCharsets.ISO_8859_1);
    scope.add(Scope.PATH, decodePath(rawPath, rawPathBytes));
    scope.add(Scope.RAW_PATH, rawPathBytes);
    String query = req.getQueryString();
    scope.add(
        Scope.QUERY_STRING, query == null ? NO_BYTES : query.getBytes(StandardCharsets.ISO_8859_1));
    scope.add(Scope.ROOT_PATH, rootPath(req));
    scope.add(Scope.HEADERS, headers(rt.container(), req, hints));
    scope.add(Scope.CLIENT, List.of(req.getRemoteAddr(), req.getRemotePort()));
    scope.add(Scope.SERVER, List.of(req.getLocalAddr(), req.getLocalPort()));
    Map<String, Object> state = rt.lifespanState();
    if (state != null) {
      scope.add(Scope.STATE, Collections.synchronizedMap(new LinkedHashMap<>(state)));
    }
    // Room for the few extensions a scope carries (tls, fullflush, the WebSocket ones).
    Map<String, Object> extensions = new ArrayMap(4);
    // The scheme the container gave (proxies' forwarded headers included), not isSecure(): one
    // less call into the request, and some containers work the answer out anew on every call.
    if ("https".equalsIgnoreCase(scheme)) {
      Map<String, Object> tls = rt.container().tlsExtension(req);
      if (tls != null) {
        extensions.put(Scope.EXT_TLS, tls);
      }
    }
    scope.add(Scope.EXTENSIONS, extensions);
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
    // Containers give the canonical spelling (a constant: equals stops at identity).
    if ("HTTP/1.1".equals(protocol)) {
      return "1.1";
    }
    if ("HTTP/2.0".equals(protocol)) {
      return "2";
    }
    return switch (protocol.toUpperCase(Locale.ROOT)) {
      case "HTTP/1.0" -> "1.0";
      case "HTTP/2", "HTTP/2.0" -> "2";
      case "HTTP/3", "HTTP/3.0" -> "3";
      default -> "1.1";
    };
  }

  /** Adds a key the caller knows is absent; a scan-free append on the builder's own map. */
  static void add(Map<String, Object> scope, String key, Object value) {
    if (scope instanceof ArrayMap m) {
      m.add(key, value);
    } else {
      scope.put(key, value);
    }
  }

  /** The method in upper case; the common ones as they come (containers give them so). */
  static String method(String method) {
    // Compared, not switched on: some containers give a new string per request, whose hash a
    // switch would compute first.
    if ("GET".equals(method) || "POST".equals(method) || "HEAD".equals(method)) {
      return method;
    }
    return method.toUpperCase(Locale.ROOT);
  }

  static String rootPath(HttpServletRequest req) {
    String context = req.getContextPath();
    // Only a prefix ('/api/*') mapping leaves a path info, so most requests need not ask for the
    // mapping (which some containers build anew on every call).
    boolean prefix = req.getPathInfo() != null;
    if (!prefix) {
      var mapping = req.getHttpServletMapping();
      prefix = mapping != null && mapping.getMappingMatch() == MappingMatch.PATH;
    }
    if (!prefix) {
      return context;
    }
    String servletPath = req.getServletPath();
    return context.isEmpty() ? servletPath : context + servletPath;
  }

  /**
   * Lower-case names of common request headers, found whatever their case: a long-lived scope (an
   * SSE stream) then shares one name string instead of keeping its own lower-cased copy.
   */
  private static final Map<String, String> COMMON_NAMES = new HashMap<>();

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

  /**
   * The lower-case name, the shared string for a common one. Header names are ISO-8859-1, where
   * lower-casing folds only A-Z into ASCII, so a non-ASCII name never becomes a common one.
   */
  static String lowerCaseName(String name) {
    // Names that come lower-cased already (HTTP/2, Jetty's known headers) take one hash lookup.
    String common = COMMON_NAMES.get(name);
    if (common != null) {
      return common;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    // toLowerCase returns the very same string when nothing changed: lower case, and not common.
    if (lower == name) {
      return name;
    }
    common = COMMON_NAMES.get(lower);
    return common != null ? common : lower;
  }

  /** Request headers with lower-case names; several Cookie lines become one, joined by "; ". */
  static List<Header> headers(HttpServletRequest req) {
    return headers(null, req, null);
  }

  static List<Header> headers(
      ContainerSupport container, HttpServletRequest req, RequestHints hints) {
    HeaderLines lines = new HeaderLines(hints);
    if (container != null && container.forEachHeader(req, lines)) {
      if (hints != null) {
        hints.fromContainerFields();
      }
    } else {
      for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
        String name = names.nextElement();
        for (Enumeration<String> values = req.getHeaders(name); values.hasMoreElements(); ) {
          lines.accept(name, values.nextElement());
        }
      }
    }
    return lines.finish(req);
  }

  /** Collects header lines into the scope's list. */
  private static final class HeaderLines implements BiConsumer<String, String> {
    private final List<Header> out = new ArrayList<>();
    private final RequestHints hints;
    private List<String> cookies;
    private int cookieIndex = -1;
    private boolean host;

    HeaderLines(RequestHints hints) {
      this.hints = hints;
    }

    @Override
    public void accept(String rawName, String value) {
      String name = lowerCaseName(rawName);
      if (name.startsWith(":")) {
        return;
      }
      if (name.equals("cookie")) {
        if (cookies == null) {
          cookies = new ArrayList<>(2);
          cookieIndex = out.size();
          out.add(null);
        }
        cookies.add(value);
        return;
      }
      host |= name.equals("host");
      if (hints != null) {
        hints.note(name, value);
      }
      out.add(new Header(name, value));
    }

    List<Header> finish(HttpServletRequest req) {
      if (cookies != null) {
        out.set(cookieIndex, new Header("cookie", String.join("; ", cookies)));
      }
      String server = host ? null : req.getServerName();
      if (server != null) {
        // HTTP/2 carries the authority as a pseudo-header the container may not expose as Host.
        out.add(0, new Header("host", authority(req, server)));
      }
      return Collections.unmodifiableList(out);
    }
  }

  /** {@code host[:port]} from the request's server name and port (the port only if not default). */
  static String authority(HttpServletRequest req, String serverName) {
    String host = serverName;
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
   *
   * @param rawPath the path as the container gave it; returned as it is when it has nothing to
   *     decode (most paths)
   * @param raw its ISO-8859-1 bytes
   */
  static String decodePath(String rawPath, byte[] raw) {
    boolean plain = true;
    for (byte b : raw) {
      if (b == '%' || b < 0) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return rawPath;
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
