package dev.pagi.tck.cli;

import dev.pagi.tck.suite.TckClient;
import dev.pagi.tck.suite.TckTarget;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The executable conformance suite: {@code java -jar pagi-tck.jar --base-url URL}. */
@Command(
    name = "pagi-tck",
    mixinStandardHelpOptions = true,
    versionProvider = TckMain.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs the PAGI conformance suite against a deployed TCK app (pagi-tck.war, or"
          + " dev.pagi.tck.app.TckApp mounted by any other means) and prints one row per test:"
          + " rule, level, title, and PASS / FAIL / SKIP per protocol.",
      ""
    },
    footer = {"", "Exit status: 0 when no MUST rule failed, 1 when one did, 2 on a usage error."})
public final class TckMain implements Callable<Integer> {

  /** Suite classes per rule group; later groups register here. */
  static final Map<String, List<Class<?>>> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("http", List.of(ByUrl.HttpH1.class, ByUrl.HttpH2c.class));
    GROUPS.put(
        "sse",
        List.of(
            ByUrl.SseH1.class,
            ByUrl.SseH2c.class,
            ByUrl.SseStateH1.class,
            ByUrl.SseStateH2c.class,
            ByUrl.SseFaultH1.class,
            ByUrl.SseFaultH2c.class));
    GROUPS.put(
        "websocket",
        List.of(
            ByUrl.WebSocketH1.class,
            ByUrl.WebSocketH2c.class,
            ByUrl.WebSocketStateH1.class,
            ByUrl.WebSocketFaultH1.class));
  }

  @Option(
      names = "--base-url",
      required = true,
      paramLabel = "URL",
      description = "Where the TCK app is mounted, e.g. http://127.0.0.1:8080/pagi-tck")
  URI baseUrl;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the result table as Markdown to FILE.")
  Path report;

  @Option(
      names = "--junit-xml",
      paramLabel = "DIR",
      description = "Also write JUnit XML reports (one file per suite class) into DIR.")
  Path junitXml;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "GROUP",
      completionCandidates = GroupNames.class,
      description = "Run only these rule groups. Groups: ${COMPLETION-CANDIDATES}.")
  Set<String> only;

  @Option(
      names = "--capabilities",
      split = ",",
      paramLabel = "CAP",
      description =
          "Optional features the target offers, e.g. h2c,h2,tls,rfc8441. h2c is detected when"
              + " not declared; a test needing an absent capability is reported as SKIP with the"
              + " reason.")
  Set<String> capabilities = new LinkedHashSet<>();

  private final PrintStream out;

  TckMain(PrintStream out) {
    this.out = out;
  }

  /**
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cl = new CommandLine(new TckMain(out));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("pagi-tck: " + ex.getMessage());
          err.println("Try 'pagi-tck --help' for more information.");
          return 2;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Set<String> groups = only == null ? GROUPS.keySet() : only;
    for (String g : groups) {
      if (!GROUPS.containsKey(g)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "Unknown group '" + g + "' for --only: expected one of " + GROUPS.keySet());
      }
    }
    Set<String> caps = new LinkedHashSet<>();
    capabilities.forEach(c -> caps.add(c.trim().toLowerCase(Locale.ROOT)));
    String h2cReason = "declared";
    if (!caps.contains("h2c")) {
      h2cReason = detectH2c();
      if (h2cReason == null) {
        caps.add("h2c");
        h2cReason = "detected";
      }
    }
    UrlTarget.set(baseUrl, caps, h2cReason);
    out.println("PAGI TCK against " + baseUrl + " (capabilities: " + caps + ")");

    List<Class<?>> classes = new ArrayList<>();
    groups.forEach(g -> classes.addAll(GROUPS.get(g)));
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    classes.forEach(c -> request.selectors(DiscoverySelectors.selectClass(c)));
    LauncherDiscoveryRequest discovery = request.build();
    ResultTable table = new ResultTable(out);
    List<TestExecutionListener> listeners = new ArrayList<>(List.of(table));
    if (junitXml != null) {
      Files.createDirectories(junitXml);
      listeners.add(
          new LegacyXmlReportGeneratingListener(
              junitXml, new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }
    Launcher launcher = LauncherFactory.create();
    launcher.execute(discovery, listeners.toArray(new TestExecutionListener[0]));

    String md = table.markdown();
    out.println();
    out.print(md);
    out.printf(
        "%nPASS %d, FAIL %d, SKIP %d%n",
        table.count("PASS"), table.count("FAIL"), table.count("SKIP"));
    if (report != null) {
      Files.writeString(
          report,
          "# PAGI TCK report\n\nTarget: " + baseUrl + "\n\nCapabilities: " + caps + "\n\n" + md);
    }
    return table.mustFailed() ? 1 : 0;
  }

  /** Tries one h2c request; returns null when it works, else why not. */
  private String detectH2c() {
    try (TckClient c = new TckClient(new TckTarget(baseUrl, TckTarget.Protocol.H2C, Set.of()))) {
      ContentResponse r =
          c.request("/http/echo").timeout(5, java.util.concurrent.TimeUnit.SECONDS).send();
      return r.getStatus() == 200 ? null : "h2c request answered " + r.getStatus();
    } catch (Exception e) {
      return "h2c request failed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
  }

  /** The group names, for the help text. */
  static final class GroupNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return GROUPS.keySet().iterator();
    }
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TckMain.class.getPackage().getImplementationVersion();
      return new String[] {"pagi-tck " + (v == null ? "(development build)" : v)};
    }
  }
}
