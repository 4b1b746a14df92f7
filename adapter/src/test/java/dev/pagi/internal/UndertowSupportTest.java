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

    public Connection getConnection() {
      return connection;
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
}
