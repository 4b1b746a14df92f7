package dev.pagi.tck.suite;

import dev.pagi.tck.app.Json;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Every rule for {@code http} scopes (and the lifespan rules observable through requests), against
 * one running TCK app. A container's test class extends this (usually as a {@code @Nested} class
 * per protocol) and says where the app runs; the rules themselves live in the groups this class
 * implements, one interface per section of the checklist.
 *
 * <p>A target may list tests it cannot pass with a reason ({@link TckTarget#skips()}); those are
 * reported as skipped with that reason.
 */
@Timeout(30)
public abstract class HttpRules
    implements HttpScopeRules,
        HttpValidationRules,
        HttpRequestRules,
        HttpResponseRules,
        HttpCompletionRules,
        ConnectionStateRules,
        FlowControlRules,
        HttpFaultRules,
        LifespanStateRules {
  private TckClient client;
  private TckClient sideClient;

  /**
   * @return where the TCK app runs and how to talk to it
   */
  protected abstract TckTarget target();

  @Override
  public final TckTarget tckTarget() {
    return target();
  }

  @Override
  public TckClient client() {
    return client;
  }

  @Override
  public TckClient sideClient() {
    return sideClient;
  }

  @BeforeEach
  void openClient(TestInfo info) {
    String test = info.getTestMethod().map(m -> m.getName()).orElse("");
    String reason = tckTarget().skips().get(test);
    Assumptions.assumeTrue(reason == null, () -> "skipped on this target: " + reason);
    client = new TckClient(tckTarget());
    TckTarget t = tckTarget();
    sideClient = new TckClient(new TckTarget(t.base(), TckTarget.Protocol.H1, t.capabilities()));
  }

  @AfterEach
  void closeClient() throws Exception {
    if (client != null) {
      client.close();
    }
    if (sideClient != null) {
      sideClient.close();
    }
  }

  /**
   * @param r a response of {@code /http/echo}
   * @return the echoed scope
   */
  @SuppressWarnings("unchecked")
  protected static Map<String, Object> scopeOf(ContentResponse r) {
    return (Map<String, Object>) Json.object(r.getContentAsString()).get("scope");
  }
}
