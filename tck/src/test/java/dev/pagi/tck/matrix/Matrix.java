package dev.pagi.tck.matrix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Renders the rule × container matrix from the recorded runs, and (with {@code
 * -Dtck.updateReadme=true}) writes it into {@code tck/README.md} between the matrix markers.
 */
final class Matrix {
  static final String BEGIN = "<!-- tck-matrix:begin -->";
  static final String END = "<!-- tck-matrix:end -->";

  private Matrix() {}

  static void render(Path results, Path out) throws IOException {
    if (!Files.isDirectory(results)) {
      return;
    }
    // row key -> column -> status
    Map<String, Map<String, String>> rows = new TreeMap<>();
    TreeSet<String> columns = new TreeSet<>();
    List<String> notes = new ArrayList<>();
    try (Stream<Path> files = Files.list(results)) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          String[] p = line.split("\t", -1);
          if (p.length < 6) {
            continue;
          }
          String key = p[0] + " | " + p[1] + " | `" + p[2] + "`";
          columns.add(p[3]);
          rows.computeIfAbsent(key, k -> new TreeMap<>()).put(p[3], p[4]);
          if (!p[4].equals("PASS")) {
            notes.add("- " + p[4] + " `" + p[2] + "` on " + p[3] + ": " + p[5]);
          }
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("| rule | level | test | ").append(String.join(" | ", columns)).append(" |\n");
    md.append("|---|---|---|").append("---|".repeat(columns.size())).append('\n');
    rows.forEach(
        (key, byColumn) -> {
          md.append("| ").append(key).append(" |");
          for (String c : columns) {
            md.append(' ').append(byColumn.getOrDefault(c, "")).append(" |");
          }
          md.append('\n');
        });
    if (!notes.isEmpty()) {
      md.append("\nNot passing:\n\n");
      notes.stream().distinct().forEach(n -> md.append(n).append('\n'));
    }
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    if (Boolean.getBoolean("tck.updateReadme")) {
      Path readme = Path.of("README.md");
      String text = Files.readString(readme, StandardCharsets.UTF_8);
      int b = text.indexOf(BEGIN);
      int e = text.indexOf(END);
      if (b >= 0 && e > b) {
        Files.writeString(
            readme,
            text.substring(0, b + BEGIN.length()) + "\n" + md + text.substring(e),
            StandardCharsets.UTF_8);
      }
    }
  }
}
