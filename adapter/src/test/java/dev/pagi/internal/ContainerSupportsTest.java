package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ContainerSupportsTest {
  private static ContainerSupport on(String serverInfo) {
    ServletContext ctx = mock(ServletContext.class);
    when(ctx.getServerInfo()).thenReturn(serverInfo);
    return ContainerSupport.detect(ctx);
  }

  private static void assertNotJetty(ContainerSupport support) {
    assertInstanceOf(ContainerSupports.Portable.class, support);
    assertFalse(support instanceof JettySupport, () -> "got " + support.getClass());
  }

  @Test
  void jettyGetsJettySupport() {
    assertInstanceOf(JettySupport.class, on("jetty/12.1.8"));
  }

  @Test
  void otherContainersGetThePortableSupportEvenWithJettyOnTheClassPath() {
    assertNotJetty(on("Apache Tomcat/11.0.27"));
    assertNotJetty(on("Undertow - 2.3.26.Final"));
    assertNotJetty(on(null));
  }

  @Test
  void undertowGetsUndertowSupport() {
    assertInstanceOf(UndertowSupport.class, on("Undertow - 2.3.26.Final"));
    assertNotJetty(on("Apache Tomcat/11.0.27"));
  }
}
