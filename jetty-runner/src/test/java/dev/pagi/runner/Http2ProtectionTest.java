package dev.pagi.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagi.runner.examples.Hello;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What an HTTP/2 client sees of the server's settings and its defence against rapid resets. */
@Timeout(60)
class Http2ProtectionTest {

  private static final class Recorder implements Session.Listener {
    final CompletableFuture<Map<Integer, Integer>> settings = new CompletableFuture<>();
    final CompletableFuture<GoAwayFrame> goAway = new CompletableFuture<>();

    @Override
    public void onSettings(Session session, SettingsFrame frame) {
      settings.complete(frame.getSettings());
    }

    @Override
    public void onGoAway(Session session, GoAwayFrame frame) {
      goAway.complete(frame);
    }

    @Override
    public void onClose(Session session, GoAwayFrame frame, Callback callback) {
      goAway.complete(frame);
      callback.succeeded();
    }
  }

  @Test
  void settingsAdvertiseStreamLimitAndExtendedConnect() throws Exception {
    HTTP2Client client = new HTTP2Client();
    client.start();
    try (PagiServer server = PagiServer.builder().app(new Hello()).port(0).build().start()) {
      Recorder recorder = new Recorder();
      client
          .connect(new InetSocketAddress("127.0.0.1", server.port()), recorder)
          .get(10, TimeUnit.SECONDS);
      Map<Integer, Integer> settings = recorder.settings.get(10, TimeUnit.SECONDS);
      assertEquals(128, settings.get(SettingsFrame.MAX_CONCURRENT_STREAMS), settings.toString());
      assertEquals(1, settings.get(SettingsFrame.ENABLE_CONNECT_PROTOCOL), settings.toString());
    } finally {
      client.stop();
    }
  }

  @Test
  void rapidResetFloodEndsTheConnectionWithEnhanceYourCalm() throws Exception {
    HTTP2Client client = new HTTP2Client();
    client.start();
    try (PagiServer server = PagiServer.builder().app(new Hello()).port(0).build().start()) {
      Recorder recorder = new Recorder();
      Session session =
          client
              .connect(new InetSocketAddress("127.0.0.1", server.port()), recorder)
              .get(10, TimeUnit.SECONDS);
      MetaData.Request request =
          new MetaData.Request(
              "GET",
              HttpURI.from("http://127.0.0.1:" + server.port() + "/"),
              HttpVersion.HTTP_2,
              HttpFields.EMPTY);
      // Bounded: at most 2,000 open-and-cancel pairs on one loopback connection.
      for (int i = 0; i < 2_000 && !recorder.goAway.isDone() && !session.isClosed(); i++) {
        Stream stream;
        try {
          stream =
              session
                  .newStream(new HeadersFrame(request, null, true), new Stream.Listener() {})
                  .get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          break; // the server already closed the session
        }
        stream.reset(
            new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
      }
      GoAwayFrame goAway = recorder.goAway.get(10, TimeUnit.SECONDS);
      assertEquals(ErrorCode.ENHANCE_YOUR_CALM_ERROR.code, goAway.getError(), goAway.toString());
    } finally {
      client.stop();
    }
  }
}
