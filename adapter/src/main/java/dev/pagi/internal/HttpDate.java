package dev.pagi.internal;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), cached per second. */
final class HttpDate {
  private HttpDate() {}

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
  private static volatile long cachedSecond = -1;
  private static volatile String cached = "";

  static String now() {
    long second = System.currentTimeMillis() / 1000;
    if (second != cachedSecond) {
      cached = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
      cachedSecond = second;
    }
    return cached;
  }
}
