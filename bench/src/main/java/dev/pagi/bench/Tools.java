package dev.pagi.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Running external load tools with a hard time limit, and reading their output. */
final class Tools {
  private static final HttpClient ADMIN =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Tools() {}

  record Run(List<String> command, int exit, String output) {
    String commandLine() {
      return String.join(" ", command);
    }
  }

  /** Runs a command, killing it after {@code limitSeconds}. */
  static Run run(List<String> command, long limitSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[][] out = new byte[1][];
    Thread reader =
        new Thread(
            () -> {
              try {
                out[0] = p.getInputStream().readAllBytes();
              } catch (IOException e) {
                out[0] = ("read failed: " + e).getBytes(StandardCharsets.UTF_8);
              }
            });
    reader.start();
    if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    reader.join(10_000);
    String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
    return new Run(command, p.exitValue(), text);
  }

  static boolean available(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** {@code wrk --latency} output: requests/s and p99 latency in ms. */
  /** {@code wrk} output: requests/s, p99 in ms, and the number of requests. */
  static double[] parseWrk(String out) {
    double rps = find(out, "Requests/sec:\\s+([0-9.]+)");
    Matcher m = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    double p99 = Double.NaN;
    if (m.find()) {
      double v = Double.parseDouble(m.group(1));
      p99 =
          switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
          };
    }
    return new double[] {rps, p99, find(out, "([0-9]+) requests in")};
  }

  /** {@code h2load} output: requests/s; p99 in ms from its per-request log file. */
  static double[] parseH2load(String out, Path log) throws IOException {
    double rps = find(out, "finished in [0-9.]+m?s, ([0-9.]+) req/s");
    double p99 = Double.NaN;
    if (Files.exists(log)) {
      List<String> lines = Files.readAllLines(log);
      long[] d = new long[lines.size()];
      int n = 0;
      for (String line : lines) {
        String[] f = line.split("\t");
        if (f.length >= 3) {
          d[n++] = Long.parseLong(f[2].trim());
        }
      }
      p99 = Stats.percentile(d, n, 99) / 1000.0;
    }
    return new double[] {rps, p99};
  }

  static double find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** Reads a {@code key=value} admin endpoint of the bench server. */
  static Map<String, Long> admin(URI base, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        ADMIN.send(
            HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : r.body().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
      }
    }
    return out;
  }

  static List<String> list(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
