package dev.pagi.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar pagi-jetty-runner.jar ARGS} as a separate process, its output collected line by
 * line. {@link #close()} sends SIGTERM and waits (bounded), then kills.
 */
final class RunnerProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("^  (https?://\\S+)");

  final Process process;
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();
  private final CompletableFuture<List<URI>> urls = new CompletableFuture<>();
  private final List<URI> seen = new ArrayList<>();
  private final List<Thread> pumps = new ArrayList<>();

  RunnerProcess(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    process = pb.start();
    pump(process.getInputStream(), out, true);
    pump(process.getErrorStream(), err, false);
    process
        .onExit()
        .thenRun(
            () ->
                urls.completeExceptionally(
                    new IllegalStateException(
                        "runner exited with "
                            + process.exitValue()
                            + "\nstdout: "
                            + out
                            + "\nstderr: "
                            + err)));
  }

  RunnerProcess(String... args) throws IOException {
    this(Map.of(), args);
  }

  static Path jar() {
    String jar = System.getProperty("pagi.runner.jar");
    if (jar == null) {
      jar = "target/pagi-jetty-runner.jar";
    }
    return Path.of(jar);
  }

  /** The URLs the banner printed, once the banner's last line came (bounded wait). */
  List<URI> urls() throws Exception {
    return urls.get(60, TimeUnit.SECONDS);
  }

  URI uri() throws Exception {
    return urls().get(0);
  }

  /** Waits (bounded) for the process to exit and its output to be read; returns its status. */
  int awaitExit() throws Exception {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("runner did not exit; stdout " + out + " stderr " + err);
    }
    for (Thread t : pumps) {
      t.join(10_000);
    }
    return process.exitValue();
  }

  /**
   * Sends SIGTERM. Through the process handle: {@code Process.destroy()} would also close our end
   * of the output pipes, losing what the runner prints while it stops.
   */
  void sigterm() {
    process.toHandle().destroy();
  }

  /** SIGTERM, then the exit status. */
  int terminate() throws Exception {
    sigterm();
    return awaitExit();
  }

  private void pump(InputStream in, List<String> lines, boolean banner) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                  if (banner) {
                    Matcher m = URL.matcher(line);
                    if (m.find()) {
                      seen.add(URI.create(m.group(1)));
                    } else if (line.startsWith("Press Ctrl+C")) {
                      urls.complete(List.copyOf(seen));
                    }
                  }
                }
              } catch (IOException e) {
                // the process went away
              }
            },
            "runner-output");
    t.setDaemon(true);
    pumps.add(t);
    t.start();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      sigterm();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
