package dev.pagi;

import java.util.Locale;
import java.util.Objects;

/**
 * One header field: a {@code [name, value]} pair of the spec's header lists.
 *
 * <p>Names in a scope are lower-case. Values are opaque: each {@code char} is one byte (0-255,
 * ISO-8859-1), so non-ASCII bytes survive unchanged. The server validates headers when they are
 * sent (no CR, LF or NUL anywhere, no control characters in names), not when they are built.
 *
 * @param name the field name
 * @param value the field value
 */
public record Header(String name, String value) {

  /** Checks that neither part is null. */
  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /**
   * Builds a header with a lower-cased name.
   *
   * @param name the field name, lower-cased here
   * @param value the field value
   * @return the header
   */
  public static Header of(String name, String value) {
    return new Header(name.toLowerCase(Locale.ROOT), value);
  }
}
