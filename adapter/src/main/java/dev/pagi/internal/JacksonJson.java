package dev.pagi.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Function;

/**
 * Jackson as the helpers' JSON encoder. Only {@link JsonEncoders} refers to this class, by name and
 * after checking that Jackson is present, so the adapter links and runs without Jackson.
 */
final class JacksonJson implements Function<Object, String> {
  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public String apply(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot encode " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
