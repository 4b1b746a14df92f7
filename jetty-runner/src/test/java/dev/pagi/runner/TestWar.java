package dev.pagi.runner;

import dev.pagi.servlet.PagiServlet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a small WAR at test time: {@code WEB-INF/web.xml} naming the app in the {@code pagi.app}
 * context-param (the adapter's ServletContainerInitializer registers the servlet), the app's
 * classes in {@code WEB-INF/classes}, and the adapter from the test class path in {@code
 * WEB-INF/lib} (a jar, or the adapter's class directory jarred up in a reactor test run).
 */
final class TestWar {
  private TestWar() {}

  static Path build(Path dir, Class<?> app) throws Exception {
    Path war = dir.resolve("test-app.war");
    Path classes = Path.of(app.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path adapter =
        Path.of(PagiServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String webXml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
          <context-param>
            <param-name>pagi.app</param-name>
            <param-value>%s</param-value>
          </context-param>
        </web-app>
        """
            .formatted(app.getName());
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
      put(zip, "WEB-INF/web.xml", webXml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String pkg = app.getPackageName().replace('.', '/');
      try (Stream<Path> files = Files.list(classes.resolve(pkg))) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (name.startsWith(app.getSimpleName()) && name.endsWith(".class")) {
            put(zip, "WEB-INF/classes/" + pkg + "/" + name, Files.readAllBytes(f));
          }
        }
      }
      zip.putNextEntry(new ZipEntry("WEB-INF/lib/pagi-servlet.jar"));
      if (Files.isDirectory(adapter)) {
        jar(adapter, zip);
      } else {
        Files.copy(adapter, zip);
      }
      zip.closeEntry();
    }
    return war;
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  /** Writes a jar of {@code root}'s files to {@code out} (left open). */
  private static void jar(Path root, OutputStream out) throws IOException {
    ZipOutputStream jar = new ZipOutputStream(out);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      put(jar, root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
    }
    jar.finish();
  }
}
