package dev.pagi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SSE fan-out the way a Spring MVC user would write it: one {@link SseEmitter} per client,
 * events pushed from the shared publisher, mounted at {@code /spring/sse}.
 */
@Configuration
@EnableWebMvc
public class SpringSse {
  static volatile Broadcaster broadcaster;

  /** The endpoint (registered as a member class of this configuration). */
  @RestController
  public static class Controller {
    /**
     * @return an emitter subscribed to the publisher until the client leaves
     */
    @GetMapping(path = "/sse", produces = "text/event-stream")
    public SseEmitter sse() {
      SseEmitter emitter = new SseEmitter(0L);
      Broadcaster.Subscriber sub =
          data -> {
            try {
              emitter.send(SseEmitter.event().data(data));
              return true;
            } catch (IOException e) {
              emitter.completeWithError(e);
              throw new UncheckedIOException(e);
            }
          };
      Broadcaster b = broadcaster;
      b.add(sub);
      emitter.onCompletion(() -> b.remove(sub));
      emitter.onError(t -> b.remove(sub));
      emitter.onTimeout(() -> b.remove(sub));
      return emitter;
    }
  }
}
