package dev.pagi.tck.suite;

import dev.pagi.tck.app.Json;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
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
public abstract class HttpRules extends SuiteBase
    implements HttpScopeRules,
        HttpValidationRules,
        HttpRequestRules,
        HttpResponseRules,
        HttpCompletionRules,
        ConnectionStateRules,
        FlowControlRules,
        HttpFaultRules,
        LifespanStateRules {
  /**
   * @param r a response of {@code /http/echo}
   * @return the echoed scope
   */
  @SuppressWarnings("unchecked")
  protected static Map<String, Object> scopeOf(ContentResponse r) {
    return (Map<String, Object>) Json.object(r.getContentAsString()).get("scope");
  }
}
