package dev.pagi.tck.suite;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Which test proves which rule: every {@code @Test} or {@code @ParameterizedTest} method carrying
 * {@link PagiRule} in the suite package, rendered as the rule table of the TCK's README (which a
 * test keeps in step with the annotations).
 */
public final class RuleCatalog {
  private RuleCatalog() {}

  /**
   * One rule proved by one test.
   *
   * @param rule the rule number
   * @param level the level the test asserts it at
   * @param test {@code Class.method}
   */
  public record Entry(int rule, PagiRule.Level level, String test) {}

  /**
   * @return every (rule, test) pair in the suite package, by rule then test name
   * @throws IOException when the suite's classes cannot be listed
   */
  public static List<Entry> scan() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Class<?> c : suiteClasses()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getAnnotation(Test.class) == null
            && m.getAnnotation(ParameterizedTest.class) == null) {
          continue;
        }
        for (PagiRule rule : m.getAnnotationsByType(PagiRule.class)) {
          for (int n : rule.value()) {
            out.add(new Entry(n, rule.level(), c.getSimpleName() + "." + m.getName()));
          }
        }
      }
    }
    out.sort(Comparator.comparingInt(Entry::rule).thenComparing(Entry::test));
    return out;
  }

  /**
   * @param entries from {@link #scan()}
   * @return a Markdown table, one row per rule: number, level(s), tests
   */
  public static String markdown(List<Entry> entries) {
    Map<Integer, Set<String>> levels = new TreeMap<>();
    Map<Integer, Set<String>> tests = new TreeMap<>();
    for (Entry e : entries) {
      levels.computeIfAbsent(e.rule(), k -> new LinkedHashSet<>()).add(e.level().name());
      tests.computeIfAbsent(e.rule(), k -> new LinkedHashSet<>()).add("`" + e.test() + "`");
    }
    StringBuilder b = new StringBuilder("| rule | level | tests |\n|---:|---|---|\n");
    for (Map.Entry<Integer, Set<String>> row : tests.entrySet()) {
      b.append("| ")
          .append(row.getKey())
          .append(" | ")
          .append(String.join(", ", levels.get(row.getKey())))
          .append(" | ")
          .append(String.join("<br>", row.getValue()))
          .append(" |\n");
    }
    return b.toString();
  }

  private static List<Class<?>> suiteClasses() throws IOException {
    String pkg = RuleCatalog.class.getPackageName();
    Path where;
    try {
      where =
          Path.of(RuleCatalog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    List<String> names = new ArrayList<>();
    String dir = pkg.replace('.', '/') + "/";
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.list(where.resolve(dir))) {
        files.map(p -> dir + p.getFileName()).forEach(names::add);
      }
    } else {
      try (JarFile jar = new JarFile(where.toFile())) {
        jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(dir)).forEach(names::add);
      }
    }
    List<Class<?>> out = new ArrayList<>();
    for (String n : names) {
      if (n.endsWith(".class") && n.indexOf('/', dir.length()) < 0) {
        String cls = n.substring(0, n.length() - ".class".length()).replace('/', '.');
        try {
          out.add(Class.forName(cls, false, RuleCatalog.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
          throw new IOException("cannot load " + cls, e);
        }
      }
    }
    return out;
  }

  /**
   * Prints the rule table.
   *
   * @param args unused
   * @throws IOException when the suite cannot be scanned
   */
  public static void main(String[] args) throws IOException {
    System.out.print(markdown(scan()));
  }
}
