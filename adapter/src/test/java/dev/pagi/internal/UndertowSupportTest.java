package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.Mockito;

@Timeout(10)
class UndertowSupportTest {
  /** Stands for Undertow's {@code ServerConnection}. */
  public static final class Connection implements Closeable {
    final List<String> calls = new ArrayList<>();

    @Override
    public void close() {
      calls.add("close");
    }
  }

  /** Stands for Undertow's {@code HttpServerExchange}. */
  public static final class Exchange {
    final Connection connection = new Connection();
    long maxEntitySize = 2L << 20;

    public Connection getConnection() {
      return connection;
    }

    public long getMaxEntitySize() {
      return maxEntitySize;
    }

    public Exchange setMaxEntitySize(long size) {
      maxEntitySize = size;
      return this;
    }
  }

  /** Stands for Undertow's {@code HttpServletRequestImpl} (a request, not a wrapper). */
  public abstract static class UndertowRequest implements HttpServletRequest {
    final Exchange exchange = new Exchange();

    public Exchange getExchange() {
      return exchange;
    }
  }

  @Test
  void abortClosesTheExchangeConnectionThroughWrappersThenCompletes() {
    UndertowRequest undertow =
        mock(
            UndertowRequest.class,
            withSettings().useConstructor().defaultAnswer(Mockito.CALLS_REAL_METHODS));
    // A filter's wrapper around Undertow's request: the connection is still found.
    HttpServletRequest wrapped =
        new HttpServletRequestWrapper(undertow) {
          @Override
          public Object getAttribute(String name) {
            return null;
          }
        };
    AsyncContext async = mock(AsyncContext.class);
    new UndertowSupport().abort(wrapped, async, new IllegalStateException("app failed"));
    assertEquals(List.of("close"), undertow.exchange.connection.calls);
    verify(async).complete();
    verify(async, never()).dispatch();
  }

  @Test
  void withoutUndertowTheAbortIsThePortableOne() {
    HttpServletRequest plain = mock(HttpServletRequest.class);
    AsyncContext async = mock(AsyncContext.class);
    assertNull(UndertowSupport.connection(plain));
    IllegalStateException cause = new IllegalStateException("app failed");
    new UndertowSupport().abort(plain, async, cause);
    verify(plain).setAttribute(ContainerSupport.ABORT_ATTRIBUTE, cause);
    verify(async).dispatch();
  }

  private static UndertowRequest undertowRequest() {
    return mock(
        UndertowRequest.class,
        withSettings().useConstructor().defaultAnswer(Mockito.CALLS_REAL_METHODS));
  }

  @Test
  void aSmallerUndertowEntityLimitIsRaisedAboveTheAdapterLimit() {
    UndertowRequest request = undertowRequest();
    new UndertowSupport().admitBodyUpTo(request, 10L << 20);
    assertEquals((10L << 20) + UndertowSupport.HEADROOM, request.exchange.maxEntitySize);
  }

  @Test
  void noAdapterLimitLiftsUndertowsToo() {
    UndertowRequest request = undertowRequest();
    new UndertowSupport().admitBodyUpTo(request, 0);
    assertEquals(-1, request.exchange.maxEntitySize);
  }

  @Test
  void aLargerOrUnlimitedUndertowEntityLimitIsKept() {
    UndertowRequest larger = undertowRequest();
    larger.exchange.maxEntitySize = 100L << 20;
    new UndertowSupport().admitBodyUpTo(larger, 10L << 20);
    assertEquals(100L << 20, larger.exchange.maxEntitySize);
    UndertowRequest unlimited = undertowRequest();
    unlimited.exchange.maxEntitySize = -1;
    new UndertowSupport().admitBodyUpTo(unlimited, 10L << 20);
    assertEquals(-1, unlimited.exchange.maxEntitySize);
  }

  @Test
  void withoutUndertowNothingHappens() {
    HttpServletRequest plain = mock(HttpServletRequest.class);
    new UndertowSupport().admitBodyUpTo(plain, 10L << 20);
    assertNull(UndertowSupport.exchange(plain));
  }
}
