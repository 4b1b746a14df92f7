package dev.pagi.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.Hello;
import dev.pagi.servlet.PagiServlet;
import dev.pagi.tck.suite.RawHttp;
import dev.pagi.tck.suite.TckTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ClassMatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's promise, checked: its {@code Hello} app (compiled from {@code com.example.Hello},
 * which must be the README's code block verbatim) runs in a WAR on Jetty, set up exactly as the
 * README's "In a WAR" section says — the adapter jar in {@code WEB-INF/lib} and the {@code
 * pagi.app} context-param in {@code web.xml}, registered by the adapter's {@code
 * ServletContainerInitializer}. The WAR is assembled at test time; the server's own class path
 * hides {@code dev.pagi} and {@code com.example}, so everything comes from the WAR.
 */
@Timeout(60)
class ReadmeWarOnJettyTest {
  private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

  private static String readme() throws IOException {
    return Files.readString(MODULE.resolve("../README.md").normalize());
  }

  /** The first fenced block of {@code lang} in the README that contains {@code marker}. */
  private static String block(String lang, String marker) throws IOException {
    Matcher m = Pattern.compile("```" + lang + "\n(.*?)```", Pattern.DOTALL).matcher(readme());
    while (m.find()) {
      if (m.group(1).contains(marker)) {
        return m.group(1);
      }
    }
    throw new AssertionError("README.md has no ```" + lang + " block containing " + marker);
  }

  @Test
  void theCompiledHelloIsTheReadmeApp() throws IOException {
    String source = Files.readString(MODULE.resolve("src/test/java/com/example/Hello.java"));
    assertEquals(block("java", "class Hello implements PagiApp"), source);
  }

  @Test
  void theReadmeAppRunsInAWarOnJetty() throws Exception {
    Path war = assembleWar();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext(war.toString(), "/hello");
    webapp.addConfiguration(new AnnotationConfiguration());
    // The test class path also holds Tomcat's WebSocket initializer; only Jetty's may run here.
    webapp.setAttribute(
        "org.eclipse.jetty.containerInitializerExclusionPattern", "org\\.apache\\.tomcat\\..*");
    webapp.addHiddenClassMatcher(new ClassMatcher("dev.pagi.", "com.example."));
    webapp.setThrowUnavailableOnStartupException(true);
    server.setHandler(webapp);
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/hello");
      TckTarget target = new TckTarget(base, TckTarget.Protocol.H1, Set.of());
      for (String[] c : List.of(new String[] {"", "world"}, new String[] {"?WAR", "WAR"})) {
        try (RawHttp raw = new RawHttp(target)) {
          raw.send(raw.request("GET", "/" + c[0], "Connection: close"));
          RawHttp.Response r = raw.readResponse(false);
          assertEquals(200, r.status(), raw::text);
          assertEquals("text/plain", r.header("content-type"));
          assertEquals("Hello, " + c[1] + "!\n", r.utf8());
        }
      }
      Class<?> servlet =
          webapp.getServletHandler().getServlet("pagi").getServletInstance().getClass();
      assertTrue(
          servlet.getClassLoader() != PagiServlet.class.getClassLoader(),
          "PagiServlet must come from the WAR's WEB-INF/lib");
    } finally {
      server.stop();
    }
  }

  /** WEB-INF/classes (the app), WEB-INF/lib (the adapter jar), WEB-INF/web.xml (README's). */
  private static Path assembleWar() throws Exception {
    Path war = Files.createTempDirectory("pagi-readme-war");
    Path classes = war.resolve("WEB-INF/classes/com/example");
    Files.createDirectories(classes);
    try (var in = Hello.class.getResourceAsStream("Hello.class")) {
      Files.copy(in, classes.resolve("Hello.class"));
    }
    Path lib = Files.createDirectories(war.resolve("WEB-INF/lib"));
    Path adapter =
        Path.of(PagiServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(adapter)) {
      jar(adapter, lib.resolve("pagi-servlet.jar")); // the reactor's target/classes
    } else {
      Files.copy(adapter, lib.resolve("pagi-servlet.jar")); // the reactor's packaged jar
    }
    String webXml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
            + block("xml", "<context-param>")
            + "</web-app>\n";
    Files.writeString(war.resolve("WEB-INF/web.xml"), webXml);
    return war;
  }

  private static void jar(Path dir, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        zip.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
  }
}
