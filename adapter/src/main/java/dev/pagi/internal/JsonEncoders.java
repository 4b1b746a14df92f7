package dev.pagi.internal;

import java.util.function.Function;

/** Finds the default JSON encoder: Jackson when it is on the class path, otherwise none. */
public final class JsonEncoders {
  private JsonEncoders() {}

  private static volatile Function<Object, String> found;

  /**
   * @return Jackson's encoder, or one that fails with a message naming the two ways out when
   *     Jackson is absent
   */
  public static Function<Object, String> defaultEncoder() {
    Function<Object, String> f = found;
    if (f == null) {
      f = found = locate();
    }
    return f;
  }

  private static Function<Object, String> locate() {
    ClassLoader loader = JsonEncoders.class.getClassLoader();
    try {
      Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, loader);
      @SuppressWarnings("unchecked")
      Function<Object, String> jackson =
          (Function<Object, String>)
              Class.forName(JsonEncoders.class.getPackageName() + ".JacksonJson", true, loader)
                  .getDeclaredConstructor()
                  .newInstance();
      return jackson;
    } catch (ReflectiveOperationException | LinkageError e) {
      return value -> {
        throw new IllegalStateException(
            "No JSON encoder: put com.fasterxml.jackson.core:jackson-databind on the class path"
                + " or set one with Sse.jsonEncoder(...)");
      };
    }
  }
}
