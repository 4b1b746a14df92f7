package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReasonsTest {
  /** Named like Undertow's exception for a body over its own limit. */
  static final class RequestTooBigException extends IOException {
    RequestTooBigException() {
      super("UT000020: Connection terminated as request was larger than 10485760");
    }
  }

  @Test
  void containerBodyLimitIsBodyTooLarge() {
    assertEquals(
        Reasons.BODY_TOO_LARGE, Reasons.of(new IOException(new RequestTooBigException()), false));
  }

  @Test
  void eofIsClientClosedAndOtherIoFailuresKeepTheirSide() {
    assertEquals(Reasons.CLIENT_CLOSED, Reasons.of(new IOException("Early EOF"), false));
    assertEquals(
        Reasons.CLIENT_CLOSED,
        Reasons.of(new java.io.EOFException("Request body ended after 3 of 10 bytes"), false));
    assertEquals(Reasons.READ_ERROR, Reasons.of(new IOException("boom"), false));
    assertEquals(Reasons.WRITE_ERROR, Reasons.of(new IOException("boom"), true));
  }
}
