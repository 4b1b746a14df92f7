package dev.pagi.runner.internal;

import dev.pagi.runner.PagiServer;
import dev.pagi.servlet.PagiConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converters for the launcher's option values; messages say what was expected. */
public final class CliValues {
  private CliValues() {}

  private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)(i?b)?");
  private static final Pattern TIME = Pattern.compile("(\\d+)(ms|s|m|h)?");

  /** A port number, 0 to 65535. */
  public static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int port = Integer.parseInt(value.trim());
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new TypeConversionException("expected a port from 0 to 65535 but got '" + value + "'");
    }
  }

  /** Bytes with an optional k, m or g suffix (powers of 1024). */
  public static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return size(value);
    }
  }

  /** Seconds, or a number with ms, s, m or h. */
  public static final class Time implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }

  /** none, want or need. */
  public static final class ClientAuthMode implements ITypeConverter<PagiServer.ClientAuth> {
    @Override
    public PagiServer.ClientAuth convert(String value) {
      try {
        return PagiServer.ClientAuth.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "expected 'none', 'want' or 'need' but got '" + value + "'");
      }
    }
  }

  /** auto, on or off. */
  public static final class LifespanMode implements ITypeConverter<PagiConfig.LifespanMode> {
    @Override
    public PagiConfig.LifespanMode convert(String value) {
      try {
        return PagiConfig.LifespanMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected 'auto', 'on' or 'off' but got '" + value + "'");
      }
    }
  }

  static long size(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        int shift =
            switch (m.group(2)) {
              case "k" -> 10;
              case "m" -> 20;
              case "g" -> 30;
              default -> 0;
            };
        if (n <= (Long.MAX_VALUE >> shift)) {
          return n << shift;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new TypeConversionException(
        "expected a size such as 65536, 64k or 10m but got '" + value + "'");
  }

  static Duration duration(String value) {
    Matcher m = TIME.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
      } catch (NumberFormatException | ArithmeticException e) {
        // fall through
      }
    }
    throw new TypeConversionException(
        "expected a duration such as 30, 500ms or 2m but got '" + value + "'");
  }
}
