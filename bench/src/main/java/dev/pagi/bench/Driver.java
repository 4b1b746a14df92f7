package dev.pagi.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmark scenarios against a {@link BenchServer} process and writes a Markdown report.
 *
 * <pre>
 * java -jar pagi-bench.jar [hello|stream|sse|ws|soak ...] [--quick] [--out DIR]
 * </pre>
 *
 * Both sides of a comparison run interleaved (A B A B ...) against the same server process; the
 * report gives medians and PAGI / baseline ratios.
 */
public final class Driver {
  private final boolean quick;
  private final Path outDir;
  private final StringBuilder raw = new StringBuilder();
  private final List<String[]> summary = new ArrayList<>();
  private final List<String> serverCommand = new ArrayList<>();
  private Process server;
  private URI base;

  private Driver(boolean quick, Path outDir) {
    this.quick = quick;
    this.outDir = outDir;
  }

  /**
   * @param args scenarios (default all), {@code --quick}, {@code --out DIR}
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    List<String> scenarios = new ArrayList<>();
    boolean quick = false;
    Path out = Path.of("bench/results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(args[++i]);
        case "hello", "stream", "sse", "ws", "soak" -> scenarios.add(args[i]);
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.err.println(
              "usage: pagi-bench [hello|stream|sse|ws|soak ...] [--quick] [--out DIR]");
          System.exit(2);
        }
      }
    }
    if (scenarios.isEmpty()) {
      scenarios = List.of("hello", "stream", "sse", "ws", "soak");
    }
    Driver d = new Driver(quick, out);
    d.startServer();
    try {
      for (String s : scenarios) {
        System.out.println("== " + s);
        switch (s) {
          case "hello" -> d.hello();
          case "stream" -> d.stream();
          case "sse" -> d.sse();
          case "ws" -> d.ws();
          case "soak" -> d.soak();
          default -> throw new IllegalStateException(s);
        }
      }
    } finally {
      d.stopServer();
    }
    System.out.println("report: " + d.writeReport(scenarios));
  }

  private void startServer() throws IOException {
    String jar =
        Path.of(Driver.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString();
    serverCommand.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xms2g",
            "-Xmx2g",
            "-XX:+UseG1GC",
            "-cp",
            jar,
            BenchServer.class.getName(),
            "0"));
    server = new ProcessBuilder(serverCommand).redirectErrorStream(true).start();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith("PORT=")) {
        base = URI.create("http://127.0.0.1:" + line.substring(5) + "/");
        break;
      }
    }
    if (base == null) {
      throw new IllegalStateException("bench server did not start");
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                r.transferTo(java.io.Writer.nullWriter());
              } catch (IOException ignored) {
                // server gone
              }
            });
    drain.setDaemon(true);
    drain.start();
    System.out.println("server: " + base);
  }

  private void stopServer() throws InterruptedException {
    try {
      server.getOutputStream().close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!server.waitFor(30, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }

  private int rounds() {
    return quick ? 2 : 3;
  }

  /**
   * Spring's version as the build resolved it: Spring reads its own from the jar manifest, which
   * the shaded benchmark jar does not keep.
   */
  static String springVersion() {
    java.util.Properties p = new java.util.Properties();
    try (var in = Driver.class.getResourceAsStream("versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // reported as unknown
    }
    return p.getProperty("spring", "(unknown)");
  }

  private void row(String scenario, String metric, double pagi, double baseline, String vs) {
    summary.add(
        new String[] {
          scenario, metric, Stats.fmt(pagi), Stats.fmt(baseline), vs, Stats.ratio(pagi, baseline)
        });
  }

  private void log(Tools.Run run) {
    raw.append("$ ").append(run.commandLine()).append("\n").append(run.output()).append("\n");
  }

  // ---- 1. hello world -------------------------------------------------------------------------

  private void hello() throws Exception {
    String duration = quick ? "5s" : "10s";
    String requests = quick ? "100000" : "300000";
    Map<String, List<Double>> m = new LinkedHashMap<>();
    for (String side : List.of("pagi", "plain")) {
      // warm-up
      Tools.run(Tools.list("wrk", "-t2", "-c64", "-d10s", base + side + "/hello"), 60);
      Tools.run(
          Tools.list("h2load", "-n", "200000", "-c", "4", "-m", "100", base + side + "/hello"),
          120);
    }
    for (int round = 0; round < rounds(); round++) {
      for (String side : List.of("pagi", "plain")) {
        Map<String, Long> before = Tools.admin(base, "admin/stats");
        Tools.Run wrk =
            Tools.run(
                Tools.list(
                    "wrk", "-t2", "-c64", "-d" + duration, "--latency", base + side + "/hello"),
                120);
        log(wrk);
        double[] w = Tools.parseWrk(wrk.output());
        perRequest(m, side + ".h1", before, Tools.admin(base, "admin/stats"), w[2]);
        m.computeIfAbsent(side + ".h1.rps", k -> new ArrayList<>()).add(w[0]);
        m.computeIfAbsent(side + ".h1.p99", k -> new ArrayList<>()).add(w[1]);
        Path logFile = Files.createTempFile("h2load", ".log");
        before = Tools.admin(base, "admin/stats");
        Tools.Run h2 =
            Tools.run(
                Tools.list(
                    "h2load",
                    "-n",
                    requests,
                    "-c",
                    "4",
                    "-m",
                    "100",
                    "--log-file=" + logFile,
                    base + side + "/hello"),
                300);
        log(h2);
        Map<String, Long> after = Tools.admin(base, "admin/stats");
        double[] h = Tools.parseH2load(h2.output(), logFile);
        Files.deleteIfExists(logFile);
        perRequest(m, side + ".h2", before, after, Double.parseDouble(requests));
        m.computeIfAbsent(side + ".h2.rps", k -> new ArrayList<>()).add(h[0]);
        m.computeIfAbsent(side + ".h2.p99", k -> new ArrayList<>()).add(h[1]);
        System.out.printf(
            "  %s round %d: h1 %.0f req/s, h2c %.0f req/s%n", side, round, w[0], h[0]);
      }
    }
    for (String proto : List.of("h1", "h2")) {
      String label = proto.equals("h1") ? "HTTP/1.1 (wrk -c64)" : "h2c (h2load -c4 -m100)";
      // CPU and allocation per request are steadier than requests/s on a machine whose cores the
      // load tool shares: what one request costs the server process (GC and JIT included).
      String[][] metrics = {
        {"rps", "requests/s"},
        {"p99", "p99 ms"},
        {"cpu", "server CPU µs/request"},
        {"alloc", "bytes allocated/request"}
      };
      for (String[] metric : metrics) {
        String key = proto + "." + metric[0];
        row(
            "1 hello " + label,
            metric[1],
            med(m, "pagi." + key),
            med(m, "plain." + key),
            "plain async servlet");
      }
    }
  }

  /** Server CPU time and heap allocation per request between two {@code admin/stats} reads. */
  private static void perRequest(
      Map<String, List<Double>> m,
      String key,
      Map<String, Long> before,
      Map<String, Long> after,
      double requests) {
    if (!(requests > 0)) {
      return;
    }
    m.computeIfAbsent(key + ".cpu", k -> new ArrayList<>())
        .add((after.get("cpu_ns") - before.get("cpu_ns")) / 1000.0 / requests);
    m.computeIfAbsent(key + ".alloc", k -> new ArrayList<>())
        .add((after.get("allocated") - before.get("allocated")) / requests);
  }

  // ---- 2. streaming ---------------------------------------------------------------------------

  private void stream() throws Exception {
    long size = 100L * 1024 * 1024;
    Path upload = Files.createTempFile("bench-upload", ".bin");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (var out = Files.newOutputStream(upload)) {
      byte[] block = BenchApp.filled(BenchApp.CHUNK);
      for (long left = size; left > 0; left -= block.length) {
        out.write(block);
        sha.update(block);
      }
    }
    String expected = size + " " + HexFormat.of().formatHex(sha.digest());
    Map<String, List<Double>> m = new LinkedHashMap<>();
    // A 100 MB transfer takes a fraction of a second here, and both sides take a few dozen
    // transfers to reach their steady speed (the JIT): warm up with many transfers, then measure
    // more rounds than the other scenarios so the medians settle.
    int warm = 1;
    int measured = quick ? 5 : 9;
    try {
      for (int i = 0; i < (quick ? 15 : 30); i++) {
        for (String side : List.of("pagi", "plain")) {
          Tools.run(
              Tools.list("curl", "-s", "-o", "/dev/null", base + side + "/stream?bytes=" + size),
              300);
          if (i % 5 == 0) {
            upload(side, upload);
            if (side.equals("pagi")) {
              upload("pagi-reuse", upload);
            }
          }
        }
      }
      for (int round = 0; round < warm + measured; round++) {
        for (String side : List.of("pagi", "plain")) {
          Tools.admin(base, "admin/gc");
          Tools.admin(base, "admin/heap?reset");
          Map<String, Long> downStart = Tools.admin(base, "admin/stats");
          Tools.Run down =
              Tools.run(
                  Tools.list(
                      "curl",
                      "-s",
                      "-o",
                      "/dev/null",
                      "-w",
                      "%{http_code} %{size_download} %{speed_download}",
                      base + side + "/stream?bytes=" + size),
                  300);
          Map<String, Long> downEnd = Tools.admin(base, "admin/stats");
          Map<String, Long> downHeap = Tools.admin(base, "admin/heap");
          Tools.admin(base, "admin/gc");
          Tools.admin(base, "admin/heap?reset");
          Map<String, Long> upStart = Tools.admin(base, "admin/stats");
          Tools.Run up = upload(side, upload);
          Map<String, Long> upEnd = Tools.admin(base, "admin/stats");
          Map<String, Long> upHeap = Tools.admin(base, "admin/heap");
          log(down);
          log(up);
          String[] d = down.output().trim().split(" ");
          if (!d[0].equals("200") || Long.parseLong(d[1]) != size) {
            throw new IllegalStateException(side + " download failed: " + down.output());
          }
          if (!up.output().contains(expected)) {
            throw new IllegalStateException(side + " upload checksum wrong: " + up.output());
          }
          String[] u = up.output().trim().split("\n");
          double upSpeed = Double.parseDouble(u[u.length - 1].split(" ")[1]);
          if (round < warm) {
            continue;
          }
          m.computeIfAbsent(side + ".downCpu", k -> new ArrayList<>())
              .add((downEnd.get("cpu_ns") - downStart.get("cpu_ns")) / 1e6);
          m.computeIfAbsent(side + ".upCpu", k -> new ArrayList<>())
              .add((upEnd.get("cpu_ns") - upStart.get("cpu_ns")) / 1e6);
          m.computeIfAbsent(side + ".down", k -> new ArrayList<>())
              .add(Double.parseDouble(d[2]) / 1e6);
          m.computeIfAbsent(side + ".up", k -> new ArrayList<>()).add(upSpeed / 1e6);
          m.computeIfAbsent(side + ".downPeak", k -> new ArrayList<>())
              .add(downHeap.get("peak") / 1e6);
          m.computeIfAbsent(side + ".upPeak", k -> new ArrayList<>()).add(upHeap.get("peak") / 1e6);
          m.computeIfAbsent(side + ".downOld", k -> new ArrayList<>())
              .add(downHeap.get("old_peak") / 1e6);
          m.computeIfAbsent(side + ".upOld", k -> new ArrayList<>())
              .add(upHeap.get("old_peak") / 1e6);
          System.out.printf(
              "  %s round %d: down %.0f MB/s, up %.0f MB/s%n",
              side, round, Double.parseDouble(d[2]) / 1e6, upSpeed / 1e6);
        }
        // Third column, upload only: the same app with reuseReadBuffer on.
        Tools.admin(base, "admin/gc");
        Tools.admin(base, "admin/heap?reset");
        Tools.Run up = upload("pagi-reuse", upload);
        Map<String, Long> upHeap = Tools.admin(base, "admin/heap");
        log(up);
        if (!up.output().contains(expected)) {
          throw new IllegalStateException("pagi-reuse upload checksum wrong: " + up.output());
        }
        String[] u = up.output().trim().split("\n");
        double upSpeed = Double.parseDouble(u[u.length - 1].split(" ")[1]);
        if (round >= warm) {
          m.computeIfAbsent("reuse.up", k -> new ArrayList<>()).add(upSpeed / 1e6);
          m.computeIfAbsent("reuse.upPeak", k -> new ArrayList<>()).add(upHeap.get("peak") / 1e6);
        }
        System.out.printf("  pagi-reuse round %d: up %.0f MB/s%n", round, upSpeed / 1e6);
      }
    } finally {
      Files.deleteIfExists(upload);
    }
    String vs = "plain async servlet";
    row("2 stream 100 MB download (h1)", "MB/s", med(m, "pagi.down"), med(m, "plain.down"), vs);
    row(
        "2 stream 100 MB download (h1)",
        "server CPU ms/transfer",
        med(m, "pagi.downCpu"),
        med(m, "plain.downCpu"),
        vs);
    row("2 stream 100 MB upload + SHA-256 (h1)", "MB/s", med(m, "pagi.up"), med(m, "plain.up"), vs);
    row(
        "2 stream 100 MB upload + SHA-256 (h1)",
        "server CPU ms/transfer",
        med(m, "pagi.upCpu"),
        med(m, "plain.upCpu"),
        vs);
    row(
        "2 stream 100 MB upload + SHA-256 (h1), reuseReadBuffer",
        "MB/s",
        med(m, "reuse.up"),
        med(m, "plain.up"),
        vs);
    row(
        "2 stream download",
        "old-gen peak MB (retained)",
        med(m, "pagi.downOld"),
        med(m, "plain.downOld"),
        vs);
    row(
        "2 stream upload",
        "old-gen peak MB (retained)",
        med(m, "pagi.upOld"),
        med(m, "plain.upOld"),
        vs);
    row(
        "2 stream download",
        "heap peak MB (incl. young garbage)",
        med(m, "pagi.downPeak"),
        med(m, "plain.downPeak"),
        vs);
    row(
        "2 stream upload",
        "heap peak MB (incl. young garbage)",
        med(m, "pagi.upPeak"),
        med(m, "plain.upPeak"),
        vs);
    row(
        "2 stream upload, reuseReadBuffer",
        "heap peak MB (incl. young garbage)",
        med(m, "reuse.upPeak"),
        med(m, "plain.upPeak"),
        vs);
  }

  /** Uploads the file with curl, as both sides see it. */
  private Tools.Run upload(String side, Path file) throws IOException, InterruptedException {
    return Tools.run(
        Tools.list(
            "curl",
            "-s",
            "-X",
            "POST",
            "-H",
            "Expect:",
            "-H",
            "content-type: application/octet-stream",
            "-T",
            file.toString(),
            "-w",
            "\n%{http_code} %{speed_upload}",
            base + side + "/upload"),
        300);
  }

  private static double med(Map<String, List<Double>> m, String key) {
    return Stats.median(m.getOrDefault(key, List.of()));
  }

  // ---- 3. SSE fan-out -------------------------------------------------------------------------

  private void sse() throws Exception {
    int[] sizes = quick ? new int[] {1000} : new int[] {1000, 10_000};
    long seconds = quick ? 5 : 10;
    // Warm-up, not recorded: every side's code is compiled before the first measured round.
    for (boolean h2 : new boolean[] {false, true}) {
      for (String side : List.of("pagi", "spring", "plain")) {
        sseRound(side, 1000, h2, 3, false);
      }
    }
    for (int n : sizes) {
      for (boolean h2 : new boolean[] {false, true}) {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        for (int round = 0; round < (quick ? 1 : 2); round++) {
          for (String side : List.of("pagi", "spring", "plain")) {
            double[] r = sseRound(side, n, h2, seconds, true);
            m.computeIfAbsent(side + ".p50", k -> new ArrayList<>()).add(r[0]);
            m.computeIfAbsent(side + ".p99", k -> new ArrayList<>()).add(r[1]);
            m.computeIfAbsent(side + ".eps", k -> new ArrayList<>()).add(r[2]);
            m.computeIfAbsent(side + ".heap", k -> new ArrayList<>()).add(r[3]);
          }
        }
        String label = "3 SSE " + n + " streams " + (h2 ? "h2c" : "HTTP/1.1");
        String vs = "Spring MVC SseEmitter";
        row(label, "delivery p50 ms", med(m, "pagi.p50"), med(m, "spring.p50"), vs);
        row(label, "delivery p99 ms", med(m, "pagi.p99"), med(m, "spring.p99"), vs);
        row(label, "events delivered/s", med(m, "pagi.eps"), med(m, "spring.eps"), vs);
        // Heap per stream is the used heap after a full GC with the streams open minus before,
        // divided by the count: a couple of MB of GC noise is ±2 KiB a stream at 1,000 streams
        // (so it is reported from the largest size only, except in a quick run).
        boolean heapRows = n == sizes[sizes.length - 1];
        if (heapRows) {
          row(
              label,
              "retained heap per stream KiB",
              med(m, "pagi.heap"),
              med(m, "spring.heap"),
              vs);
        }
        String plain = "plain async SSE servlet";
        row(label, "delivery p99 ms", med(m, "pagi.p99"), med(m, "plain.p99"), plain);
        row(label, "events delivered/s", med(m, "pagi.eps"), med(m, "plain.eps"), plain);
        if (heapRows) {
          row(
              label,
              "retained heap per stream KiB (baseline: the container's share)",
              med(m, "pagi.heap"),
              med(m, "plain.heap"),
              plain);
          row(
              label,
              "heap per stream attributable to the adapter KiB (PAGI − plain)",
              med(m, "pagi.heap") - med(m, "plain.heap"),
              8,
              "goal: under 8 KiB");
        }
      }
    }
  }

  /** One side: p50 ms, p99 ms, events/s, retained KiB per stream. */
  private double[] sseRound(String side, int n, boolean h2, long seconds, boolean report)
      throws Exception {
    String key = side + "_sse";
    long before = Tools.admin(base, "admin/gc").get("used");
    try (SseLoad load = new SseLoad(h2, n, 2_000_000)) {
      load.open(base.resolve(side + "/sse"), n, 120);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Tools.admin(base, "admin/stats").get(key) < load.opened()
          && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      long after = Tools.admin(base, "admin/gc").get("used");
      // Let delivery settle after the full GCs before recording.
      TimeUnit.SECONDS.sleep(2);
      Map<String, Long> stats0 = Tools.admin(base, "admin/stats");
      load.record(true);
      TimeUnit.SECONDS.sleep(seconds);
      load.record(false);
      Map<String, Long> stats1 = Tools.admin(base, "admin/stats");
      long offered = stats1.get(side + "_offered") - stats0.get(side + "_offered");
      long shed = stats1.get(side + "_shed") - stats0.get(side + "_shed");
      if (load.opened() == 0) {
        raw.append("sse ").append(side).append(" n=").append(n).append(": no stream opened\n");
        System.out.printf("  %s %d %s: no stream opened%n", side, n, h2 ? "h2c" : "h1");
        return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
      }
      double[] r = {
        load.latencyMillis(50),
        load.latencyMillis(99),
        load.delivered() / (double) seconds,
        (after - before) / 1024.0 / Math.max(1, load.opened())
      };
      if (!report) {
        return r;
      }
      raw.append(
          String.format(
              "sse %s n=%d %s: opened=%d failed=%d p50=%.2fms p99=%.2fms events/s=%.0f"
                  + " heap/stream=%.1fKiB publisher: offered/s=%.0f skipped/s=%.0f%n",
              side,
              n,
              h2 ? "h2c" : "h1",
              load.opened(),
              load.failures(),
              r[0],
              r[1],
              r[2],
              r[3],
              offered / (double) seconds,
              shed / (double) seconds));
      System.out.printf(
          "  %s %d %s: opened %d, p99 %.1f ms, %.0f events/s%n",
          side, n, h2 ? "h2c" : "h1", load.opened(), r[1], r[2]);
      return r;
    } finally {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Tools.admin(base, "admin/stats").get(key) > 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  // ---- 4. WebSocket echo ----------------------------------------------------------------------

  private void ws() throws Exception {
    long seconds = quick ? 5 : 10;
    URI wsBase = URI.create(base.toString().replace("http://", "ws://"));
    Map<String, List<Double>> m = new LinkedHashMap<>();
    WsLoad.run(wsBase.resolve("pagi/ws"), 100, 2);
    WsLoad.run(wsBase.resolve("plain-ws"), 100, 2);
    for (int round = 0; round < rounds(); round++) {
      for (String side : List.of("pagi", "plain")) {
        URI uri = wsBase.resolve(side.equals("pagi") ? "pagi/ws" : "plain-ws");
        double[] r = WsLoad.run(uri, 100, seconds);
        raw.append(
            String.format(
                "ws %s round %d: %.0f msg/s p50=%.2fms p99=%.2fms%n",
                side, round, r[0], r[1], r[2]));
        System.out.printf("  %s round %d: %.0f msg/s, p99 %.2f ms%n", side, round, r[0], r[2]);
        m.computeIfAbsent(side + ".mps", k -> new ArrayList<>()).add(r[0]);
        m.computeIfAbsent(side + ".p99", k -> new ArrayList<>()).add(r[2]);
      }
    }
    String vs = "plain Jakarta WebSocket endpoint";
    row(
        "4 WebSocket echo, 100 connections",
        "messages/s",
        med(m, "pagi.mps"),
        med(m, "plain.mps"),
        vs);
    row("4 WebSocket echo, 100 connections", "p99 ms", med(m, "pagi.p99"), med(m, "plain.p99"), vs);
  }

  // ---- 5. soak --------------------------------------------------------------------------------

  private void soak() throws Exception {
    String total = quick ? "200000" : "1000000";
    Tools.run(Tools.list("h2load", "-n", "50000", "-c", "8", "-m", "10", base + "pagi/hello"), 120);
    long heap0 = Tools.admin(base, "admin/gc").get("used");
    long fds0 = Tools.admin(base, "admin/stats").get("fds");
    Tools.Run run =
        Tools.run(
            Tools.list("h2load", "-n", total, "-c", "8", "-m", "10", base + "pagi/hello"), 1200);
    log(run);
    long heap1 = Tools.admin(base, "admin/gc").get("used");
    long fds1 = Tools.admin(base, "admin/stats").get("fds");
    row(
        "5 soak " + total + " hello (h2c)",
        "heap after GC MB",
        heap1 / 1e6,
        heap0 / 1e6,
        "after warm-up");
    row("5 soak " + total + " hello (h2c)", "open fds", fds1, fds0, "after warm-up");

    int cycles = quick ? 2000 : 10_000;
    long sseHeap0 = Tools.admin(base, "admin/gc").get("used");
    for (int done = 0; done < cycles; done += 500) {
      try (SseLoad load = new SseLoad(false, 500, 1)) {
        load.open(base.resolve("pagi/sse"), 500, 60);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<String, Long> stats = Tools.admin(base, "admin/stats");
    while (stats.get("pagi_active") > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
      stats = Tools.admin(base, "admin/stats");
    }
    long sseHeap1 = Tools.admin(base, "admin/gc").get("used");
    raw.append("sse connect/drop cycles=")
        .append(cycles)
        .append(" stats=")
        .append(stats)
        .append('\n');
    row(
        "5 soak " + cycles + " SSE connect/drop",
        "live PAGI exchanges",
        stats.get("pagi_active"),
        0,
        "zero");
    row(
        "5 soak " + cycles + " SSE connect/drop",
        "heap after GC MB",
        sseHeap1 / 1e6,
        sseHeap0 / 1e6,
        "before");
  }

  // ---- report ---------------------------------------------------------------------------------

  private Path writeReport(List<String> scenarios) throws IOException {
    Files.createDirectories(outDir);
    Path file = outDir.resolve(LocalDate.now() + (quick ? "-quick" : "") + ".md");
    StringBuilder md = new StringBuilder();
    md.append("# PAGI benchmark ").append(LocalDateTime.now().withNano(0)).append("\n\n");
    md.append("- Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append("\n- JDK: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append("\n- Jetty ")
        .append(org.eclipse.jetty.util.Jetty.VERSION)
        .append(", Spring MVC ")
        .append(springVersion())
        .append("\n- Scenarios: ")
        .append(String.join(", ", scenarios))
        .append(quick ? " (quick)" : "")
        .append("\n- Server: `")
        .append(String.join(" ", serverCommand))
        .append(
            "`\n- Load generators and server share the machine; sides run interleaved, medians"
                + " of the rounds.\n");
    if (scenarios.contains("sse")) {
      md.append(
          "- SSE: every side gets the same event, prepared once per tick by one publisher"
              + " thread. The plain async SSE servlet (`/plain/sse`) holds a `text/event-stream`"
              + " response open and writes the pre-encoded event with a `WriteListener`; its"
              + " retained heap is the container's share of a stream, PAGI minus plain the"
              + " adapter's. PAGI and plain skip a stream whose previous event is still queued"
              + " (so a delivered event is at most about one tick old when the machine cannot"
              + " keep up); `SseEmitter.send` blocks the publisher instead. The clients run on"
              + " one selector thread in the driver's JVM (raw HTTP/1.1 and h2c, no HTTP client"
              + " library), so they take as little of the shared CPU as possible.\n");
    }
    md.append('\n');
    md.append("| scenario | metric | PAGI | baseline | baseline is | PAGI / baseline |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (String[] r : summary) {
      md.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    md.append("\n## Raw output\n\n```\n").append(raw).append("```\n");
    Files.writeString(file, md.toString());
    return file;
  }
}
