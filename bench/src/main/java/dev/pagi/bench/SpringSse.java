package dev.pagi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SSE fan-out the way a Spring MVC user would write it: one {@link SseEmitter} per client,
 * events pushed from the shared publisher (the event built once per tick, {@code
 * SseEmitter.event().data(..).build()}), mounted at {@code /spring/sse}.
 */
@Configuration
@EnableWebMvc
public class SpringSse {
  static volatile Broadcaster<Set<ResponseBodyEmitter.DataWithMediaType>> broadcaster;

  /** The endpoint (registered as a member class of this configuration). */
  @RestController
  public static class Controller {
    /**
     * @return an emitter subscribed to the publisher until the client leaves
     */
    @GetMapping(path = "/sse", produces = "text/event-stream")
    public SseEmitter sse() {
      SseEmitter emitter = new SseEmitter(0L);
      Broadcaster.Subscriber<Set<ResponseBodyEmitter.DataWithMediaType>> sub =
          event -> {
            try {
              emitter.send(event);
              return true;
            } catch (IOException e) {
              emitter.completeWithError(e);
              throw new UncheckedIOException(e);
            }
          };
      Broadcaster<Set<ResponseBodyEmitter.DataWithMediaType>> b = broadcaster;
      b.add(sub);
      emitter.onCompletion(() -> b.remove(sub));
      emitter.onError(t -> b.remove(sub));
      emitter.onTimeout(() -> b.remove(sub));
      return emitter;
    }
  }
}
