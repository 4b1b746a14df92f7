package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.latin1;
import static dev.pagi.tck.suite.TckSuite.list;
import static dev.pagi.tck.suite.TckSuite.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.app.Json;
import dev.pagi.tck.suite.PagiRule.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Result;
import org.junit.jupiter.api.Test;

/** §1.B: the contents of the {@code http} scope (P-ECHO), and §8's extension keys. */
public interface HttpScopeRules extends TckSuite {

  private Map<String, Object> echo(String path) throws Exception {
    return map(getJson(path).get("scope"));
  }

  private static List<List<Object>> headers(Map<String, Object> scope) {
    List<List<Object>> out = new ArrayList<>();
    for (Object h : list(scope.get("headers"))) {
      out.add(list(h));
    }
    return out;
  }

  private static List<String> values(Map<String, Object> scope, String name) {
    List<String> out = new ArrayList<>();
    for (List<Object> h : headers(scope)) {
      if (h.get(0).equals(name)) {
        out.add((String) h.get(1));
      }
    }
    return out;
  }

  @Test
  @PagiRule(7)
  default void rule007_scopeTypeAndVersion() throws Exception {
    Map<String, Object> scope = echo("/http/echo");
    assertEquals("http", scope.get("type"));
    Map<String, Object> pagi = map(scope.get("pagi"));
    assertEquals("0.3", pagi.get("version"));
    Object spec = pagi.get("spec_version");
    assertTrue(spec == null || "0.3".equals(spec), () -> "spec_version: " + spec);
  }

  @Test
  @PagiRule(8)
  default void rule008_everyHttpScopeKey() throws Exception {
    Map<String, Object> scope = echo("/http/echo");
    String version = tckTarget().protocol() == TckTarget.Protocol.H2C ? "2" : "1.1";
    assertEquals(version, scope.get("http_version"));
    assertEquals("GET", scope.get("method"));
    assertEquals("http", scope.get("scheme"));
    assertEquals(tckTarget().rootPath(), scope.get("root_path"));
    assertEquals(tckTarget().rootPath() + "/http/echo", scope.get("path"));
    assertEquals(tckTarget().rootPath() + "/http/echo", latin1(scope.get("raw_path")));
    assertEquals("", latin1(scope.get("query_string")));
    assertInstanceOf(List.class, scope.get("headers"));
    List<Object> client = list(scope.get("client"));
    assertEquals(2, client.size(), () -> "client: " + client);
    assertInstanceOf(String.class, client.get(0));
    assertInstanceOf(Integer.class, client.get(1));
    List<Object> server = list(scope.get("server"));
    assertEquals(2, server.size(), () -> "server: " + server);
    assertEquals(tckTarget().base().getPort(), server.get(1), () -> "server: " + server);
    assertInstanceOf(Map.class, scope.get("extensions"));
    assertEquals("<Connection>", scope.get("pagi.connection"));
  }

  @Test
  @PagiRule(8)
  default void rule008_methodIsUppercase() throws Exception {
    ContentResponse r =
        client()
            .request("/http/echo")
            .method("POST")
            .body(new org.eclipse.jetty.client.StringRequestContent("x"))
            .send();
    assertEquals(200, r.getStatus());
    assertEquals("POST", map(Json.object(r.getContentAsString()).get("scope")).get("method"));
  }

  @Test
  @PagiRule(8)
  default void rule008_pathDecodedRawPathAndQueryStringRaw() throws Exception {
    Map<String, Object> scope = echo("/http/echo/a%20b/%E2%9C%93?x=1%202&y");
    String root = tckTarget().rootPath();
    assertEquals(root + "/http/echo/a b/\u2713", scope.get("path"));
    assertEquals(root + "/http/echo/a%20b/%E2%9C%93", latin1(scope.get("raw_path")));
    assertEquals("x=1%202&y", latin1(scope.get("query_string")));
  }

  @Test
  @PagiRule(value = 8, level = Level.SHOULD)
  default void rule008_invalidUtf8PathFallsBackToBytes() throws Exception {
    ContentResponse r = client().get("/http/echo/%FF");
    assertEquals(200, r.getStatus(), "an invalid UTF-8 path must not be rejected");
    Map<String, Object> scope = map(Json.object(r.getContentAsString()).get("scope"));
    assertEquals(tckTarget().rootPath() + "/http/echo/\u00ff", scope.get("path"));
    assertEquals(tckTarget().rootPath() + "/http/echo/%FF", latin1(scope.get("raw_path")));
  }

  @Test
  @PagiRule(8)
  default void rule008_http10RequestHasVersion10() throws Exception {
    assumeHttp1("HTTP/1.0 is a request line only an HTTP/1.x socket can send");
    try (RawHttp raw = raw()) {
      raw.send(
          "GET "
              + tckTarget().rootPath()
              + "/http/echo HTTP/1.0\r\nHost: "
              + raw.host()
              + "\r\n\r\n");
      RawHttp.Response r = raw.readResponse(false);
      assertEquals(200, r.status());
      Map<String, Object> scope = map(Json.object(r.utf8()).get("scope"));
      assertEquals("1.0", scope.get("http_version"));
    }
  }

  @Test
  @PagiRule(9)
  default void rule009_headerNamesLowerCaseDuplicatesKept() throws Exception {
    ContentResponse r =
        client()
            .request("/http/echo")
            .headers(h -> h.add("X-Mixed-Case", "v").add("X-Dup", "a").add("X-Dup", "b"))
            .send();
    Map<String, Object> scope = map(Json.object(r.getContentAsString()).get("scope"));
    for (List<Object> h : headers(scope)) {
      String name = (String) h.get(0);
      assertEquals(name.toLowerCase(Locale.ROOT), name, "header names are lower case");
    }
    assertEquals(List.of("v"), values(scope, "x-mixed-case"));
    assertEquals(List.of("a", "b"), values(scope, "x-dup"));
  }

  @Test
  @PagiRule(9)
  default void rule009_headerValuesAreOpaqueBytes() throws Exception {
    assumeHttp1("raw header bytes are written on an HTTP/1.1 socket (HPACK would re-encode them)");
    try (RawHttp raw = raw()) {
      raw.send(raw.request("GET", "/http/echo", "X-Bytes: caf\u00e9 \u00ff", "Connection: close"));
      RawHttp.Response r = raw.readResponse(false);
      assertEquals(200, r.status());
      Map<String, Object> scope = map(Json.object(r.utf8()).get("scope"));
      assertEquals(List.of("caf\u00e9 \u00ff"), values(scope, "x-bytes"));
    }
  }

  @Test
  @PagiRule(10)
  default void rule010_cookieLinesJoined() throws Exception {
    ContentResponse r =
        client()
            .request("/http/echo")
            .headers(h -> h.add("Cookie", "a=1").add("Cookie", "b=2; c=3"))
            .send();
    Map<String, Object> scope = map(Json.object(r.getContentAsString()).get("scope"));
    assertEquals(List.of("a=1; b=2; c=3"), values(scope, "cookie"));
  }

  @Test
  @PagiRule(10)
  default void rule010_cookieLinesJoinedOnTheWire() throws Exception {
    assumeHttp1("two Cookie lines are HTTP/1.1 framing; the client test covers HTTP/2 fields");
    try (RawHttp raw = raw()) {
      raw.send(
          raw.request("GET", "/http/echo", "Cookie: a=1", "Cookie: b=2; c=3", "Connection: close"));
      RawHttp.Response r = raw.readResponse(false);
      Map<String, Object> scope = map(Json.object(r.utf8()).get("scope"));
      assertEquals(List.of("a=1; b=2; c=3"), values(scope, "cookie"));
    }
  }

  @Test
  @PagiRule(11)
  default void rule011_noPseudoHeadersAndHostFromAuthority() throws Exception {
    Map<String, Object> scope = echo("/http/echo");
    for (List<Object> h : headers(scope)) {
      assertFalse(((String) h.get(0)).startsWith(":"), () -> "pseudo-header in scope: " + h);
    }
    assertEquals(
        List.of(tckTarget().base().getHost() + ":" + tckTarget().base().getPort()),
        values(scope, "host"));
  }

  @Test
  @PagiRule(15)
  default void rule015_freshScopeAndConnectionPerRequest() throws Exception {
    List<Map<String, Object>> seen = new ArrayList<>();
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        for (int i = 0; i < 3; i++) {
          raw.send(raw.request("GET", "/http/identity"));
          RawHttp.Response r = raw.readResponse(false);
          assertEquals(200, r.status());
          seen.add(Json.object(r.utf8()));
        }
      }
    } else {
      // One stream opens the connection, then three concurrent streams multiplex on it.
      seen.add(getJson("/http/identity"));
      List<CompletableFuture<String>> streams = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        CompletableFuture<String> body = new CompletableFuture<>();
        client()
            .request("/http/identity")
            .send(
                new BufferingResponseListener() {
                  @Override
                  public void onComplete(Result result) {
                    if (result.isSucceeded()) {
                      body.complete(getContentAsString());
                    } else {
                      body.completeExceptionally(result.getFailure());
                    }
                  }
                });
        streams.add(body);
      }
      for (CompletableFuture<String> s : streams) {
        seen.add(Json.object(s.get(10, TimeUnit.SECONDS)));
      }
    }
    Set<Object> scopes = new HashSet<>();
    Set<Object> connections = new HashSet<>();
    Set<Object> ports = new HashSet<>();
    for (Map<String, Object> s : seen) {
      scopes.add(s.get("scope"));
      connections.add(s.get("connection"));
      ports.add(list(s.get("client")).get(1));
      assertEquals(0, s.get("response_started"), () -> "response_started on entry: " + s);
    }
    assertEquals(seen.size(), scopes.size(), () -> "a scope was reused: " + seen);
    assertEquals(seen.size(), connections.size(), () -> "a pagi.connection was reused: " + seen);
    assertEquals(1, ports.size(), () -> "the requests should share one connection: " + seen);
  }

  @Test
  @PagiRule(value = 114, level = Level.SHOULD)
  default void rule114_transportPresent() throws Exception {
    assertEquals("<Transport>", echo("/http/echo").get("pagi.transport"));
  }

  @Test
  @PagiRule(121)
  default void rule121_extensionsIsAMapOfMaps() throws Exception {
    Map<String, Object> ext = map(echo("/http/echo").get("extensions"));
    for (Map.Entry<String, Object> e : ext.entrySet()) {
      assertEquals(e.getKey().toLowerCase(Locale.ROOT), e.getKey());
      assertInstanceOf(Map.class, e.getValue(), () -> "extension " + e.getKey());
    }
  }

  @Test
  @PagiRule(122)
  default void rule122_noTlsOnCleartext() throws Exception {
    Map<String, Object> scope = echo("/http/echo");
    assertEquals("http", scope.get("scheme"));
    assertFalse(map(scope.get("extensions")).containsKey("tls"), () -> "extensions: " + scope);
  }

  @Test
  @PagiRule(value = 123, level = Level.MAY)
  default void rule123_fullflushAdvertisedAsEmptyMap() throws Exception {
    Map<String, Object> ext = map(echo("/http/echo").get("extensions"));
    if (ext.containsKey("fullflush")) {
      assertEquals(Map.of(), ext.get("fullflush"));
    }
  }

  @Test
  @PagiRule(value = 126, level = Level.INFO)
  default void rule126_connectionAndTransportAreScopeKeysNotExtensions() throws Exception {
    Map<String, Object> scope = echo("/http/echo");
    assertTrue(scope.containsKey("pagi.connection"));
    assertTrue(scope.containsKey("pagi.transport"));
    for (String key : map(scope.get("extensions")).keySet()) {
      assertNotEquals(true, key.startsWith("pagi."), () -> "extension key " + key);
    }
  }
}
