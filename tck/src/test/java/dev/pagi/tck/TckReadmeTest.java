package dev.pagi.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.suite.RuleCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps {@code tck/README.md} true: its rule table is exactly what the {@code @PagiRule}
 * annotations say, and every rule of the checklist sections this TCK covers is either tested or
 * listed with the reason it is not. Regenerate the table with {@code -Dtck.readme.update=true}.
 */
@Timeout(30)
class TckReadmeTest {
  /** The checklist sections the http/lifespan TCK answers for: §1, §2.A, §2.D, §3, §4.A, §6–§8. */
  private static final int[][] SCOPE = {
    {1, 16}, {17, 24}, {44, 46}, {47, 53}, {54, 63}, {70, 82}, {107, 113}, {114, 120}, {121, 127}
  };

  private static final String TABLE_BEGIN = "<!-- rule-table:begin -->\n";
  private static final String TABLE_END = "<!-- rule-table:end -->";

  private static Path readme() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("README.md");
  }

  private static String section(String text, String name) {
    String begin = "<!-- " + name + ":begin -->";
    String end = "<!-- " + name + ":end -->";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    assertTrue(b >= 0 && e > b, () -> "README.md lacks the " + name + " markers");
    return text.substring(b + begin.length(), e);
  }

  /** Rule numbers of the bullets {@code - **12, 13** ...} in a section. */
  private static Set<Integer> listed(String text, String name) {
    Set<Integer> out = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^- \\*\\*([0-9, ]+)\\*\\*").matcher(section(text, name));
    while (m.find()) {
      for (String n : m.group(1).split(",")) {
        out.add(Integer.parseInt(n.trim()));
      }
    }
    return out;
  }

  private static Set<Integer> tested() throws IOException {
    Set<Integer> out = new TreeSet<>();
    RuleCatalog.scan().forEach(e -> out.add(e.rule()));
    return out;
  }

  @Test
  void ruleTableMatchesTheAnnotations() throws IOException {
    String text = Files.readString(readme());
    String table = RuleCatalog.markdown(RuleCatalog.scan());
    String current = section(text, "rule-table").replaceFirst("^\n", "");
    if (!current.equals(table) && Boolean.getBoolean("tck.readme.update")) {
      int b = text.indexOf(TABLE_BEGIN) + TABLE_BEGIN.length();
      Files.writeString(
          readme(), text.substring(0, b) + table + text.substring(text.indexOf(TABLE_END)));
      return;
    }
    assertEquals(
        table,
        current,
        "tck/README.md's rule table is out of date; regenerate it with -Dtck.readme.update=true");
  }

  @Test
  void everyRuleInScopeIsTestedOrExplained() throws IOException {
    String text = Files.readString(readme());
    Set<Integer> tested = tested();
    Set<Integer> explained = listed(text, "not-applicable");
    explained.addAll(listed(text, "other-suites"));
    List<Integer> missing = new ArrayList<>();
    for (int[] range : SCOPE) {
      for (int n = range[0]; n <= range[1]; n++) {
        if (!tested.contains(n) && !explained.contains(n)) {
          missing.add(n);
        }
      }
    }
    assertEquals(List.of(), missing, "rules with neither a test nor a line in tck/README.md");
  }

  @Test
  void notApplicableRulesHaveNoTest() throws IOException {
    Set<Integer> both = listed(Files.readString(readme()), "not-applicable");
    both.retainAll(tested());
    assertEquals(Set.of(), both, "listed as not applicable but tested");
  }
}
