package dev.pagi.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ExamplesTest {

  /** Records text messages; public because Jetty binds listener methods by method handles. */
  public static final class Inbox implements Session.Listener.AutoDemanding {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

    @Override
    public void onWebSocketText(String message) {
      texts.add(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      texts.add("bytes:" + payload.remaining());
      callback.succeed();
    }

    String next() throws InterruptedException {
      String t = texts.poll(20, TimeUnit.SECONDS);
      if (t == null) {
        throw new AssertionError("no message within 20 s");
      }
      return t;
    }
  }

  private static URI ws(Server server, String path) {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return URI.create("ws://127.0.0.1:" + port + path);
  }

  @Test
  void echoAnswersTextAndBytes() throws Exception {
    Server server = ExampleServer.createServer(Echo.app(), 0);
    WebSocketClient client = new WebSocketClient();
    client.start();
    try {
      Inbox inbox = new Inbox();
      Session s = client.connect(inbox, ws(server, "/")).get(10, TimeUnit.SECONDS);
      s.sendText("hi", Callback.NOOP);
      assertEquals("echo: hi", inbox.next());
      s.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), Callback.NOOP);
      assertEquals("bytes:3", inbox.next());
    } finally {
      client.stop();
      server.stop();
    }
  }

  @Test
  void aSlowMemberIsShedWhileTheRoomKeepsTalking() throws Exception {
    // Room enough for the members that keep up (bob and ann, whose clients share the machine's
    // CPU with the server) to fall some dozens of messages behind without being shed; sam, who
    // never reads, passes it once the socket buffers are full.
    ChatRoom room = new ChatRoom(1024 * 1024);
    Server server = ExampleServer.createServer(room, 0);
    WebSocketClient client = new WebSocketClient();
    client.getHttpClient().setMaxConnectionsPerDestination(8);
    client.setMaxTextMessageSize(1 << 20);
    client.start();
    try (Socket slow = new Socket()) {
      Inbox bob = new Inbox();
      client.connect(bob, ws(server, "/?name=bob")).get(10, TimeUnit.SECONDS);
      assertEquals("* bob joined", bob.next());
      // sam joins and then never reads: a tiny receive window, nothing consumed.
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", ws(server, "/").getPort()), 5000);
      slow.getOutputStream()
          .write(
              ("GET /?name=sam HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      readHead(slow.getInputStream());
      assertEquals("* sam joined", bob.next());
      Inbox ann = new Inbox();
      Session annSession = client.connect(ann, ws(server, "/?name=ann")).get(10, TimeUnit.SECONDS);
      assertEquals("* ann joined", bob.next());

      String chunk = "x".repeat(16 * 1024);
      int sent = 1500;
      for (int i = 0; i < sent; i++) {
        annSession.sendText(i + " " + chunk, Callback.NOOP);
      }
      annSession.sendText("done", Callback.NOOP);

      int received = 0;
      boolean samShed = false;
      String m;
      while (!(m = bob.next()).equals("ann: done")) {
        if (m.equals("* sam left (too slow)")) {
          samShed = true;
        } else if (m.startsWith("* ann left")) {
          throw new AssertionError("ann, who keeps up, left: " + m);
        } else if (m.startsWith("ann: ")) {
          received++;
        }
      }
      assertTrue(samShed, "the slow member was shed");
      assertEquals(sent, received, "every message reached the member that keeps up");
      assertEquals(2, room.size());
    } finally {
      client.stop();
      server.stop();
    }
  }

  private static void readHead(InputStream in) throws Exception {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new AssertionError("EOF in the handshake response");
      }
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
  }
}
