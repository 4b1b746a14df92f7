package dev.pagi.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-JVM SSE clients: opens {@code n} streams (HTTP/1.1: one connection each; h2c with prior
 * knowledge: multiplexed on a few connections) and records the delivery latency of every {@code
 * data:} line carrying the publisher's epoch-microsecond stamp.
 *
 * <p>The client shares the 2 cores with the server, so it is built to cost as little as possible
 * per event: one selector thread for every connection, no HTTP client library, and a byte scanner
 * that finds {@code data:} lines and parses the stamp without decoding text or allocating. It
 * speaks just enough HTTP/1.1 (status line, chunked body) and HTTP/2 (preface, SETTINGS and PING
 * acks, HEADERS with a literal HPACK block, DATA, a large flow-control window) for this scenario.
 */
final class SseLoad implements AutoCloseable {
  /** Streams asked for but not answered yet: pacing keeps the server's accept queue short. */
  private static final int MAX_PENDING = 512;

  private static final int H2_STREAMS_PER_CONNECTION = 2000;

  /** Sent with the same headers an HTTP client library sends, so scopes hold a typical set. */
  private static final String USER_AGENT = "pagi-bench-sse/1";

  private static final int WINDOW = 1 << 30;

  private final boolean h2;
  private final int streams;
  private final long[] samples;
  private final Selector selector;
  private final Thread loop;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<Conn> connections = new ArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
  // Written by the selector thread only; read by others after recording stopped.
  private volatile int sampleCount;
  private volatile long delivered;
  private volatile boolean recording;
  private volatile boolean closed;

  // Selector-thread state of the current open() call.
  private InetSocketAddress address;
  private byte[] h1Request;
  private byte[] h2Block;
  private int toOpen;
  private int pending;
  private CountDownLatch started;
  private final ArrayDeque<H2Conn> h2Ready = new ArrayDeque<>();

  SseLoad(boolean h2, int streams, int maxSamples) throws IOException {
    this.h2 = h2;
    this.streams = streams;
    this.samples = new long[maxSamples];
    this.selector = Selector.open();
    this.loop = new Thread(this::run, "sse-client");
    loop.setDaemon(true);
    loop.start();
  }

  /** Opens the streams and waits until all respond, or the deadline passes. */
  void open(URI uri, int n, long timeoutSeconds) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(n);
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String authority = uri.getHost() + ":" + uri.getPort();
    InetSocketAddress target = new InetSocketAddress(uri.getHost(), uri.getPort());
    tasks.add(
        () -> {
          address = target;
          started = latch;
          toOpen = n;
          h1Request =
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: "
                      + authority
                      + "\r\nAccept: text/event-stream\r\nUser-Agent: "
                      + USER_AGENT
                      + "\r\nAccept-Encoding: gzip\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII);
          h2Block = H2Conn.requestBlock(path, authority);
          if (h2) {
            int conns = Math.max(1, Math.min(n, streams / H2_STREAMS_PER_CONNECTION + 1));
            for (int i = 0; i < conns; i++) {
              connect(new H2Conn());
            }
          } else {
            fill();
          }
        });
    selector.wakeup();
    latch.await(timeoutSeconds, TimeUnit.SECONDS);
  }

  void record(boolean on) {
    recording = on;
  }

  int opened() {
    return open.get();
  }

  int failures() {
    return failed.get();
  }

  long delivered() {
    return delivered;
  }

  /** Latency percentile in milliseconds. */
  double latencyMillis(double p) {
    int n = Math.min(sampleCount, samples.length);
    return Stats.percentile(samples, n, p) / 1000.0;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    selector.wakeup();
    loop.join(TimeUnit.SECONDS.toMillis(30));
  }

  // ---- selector thread

  private void run() {
    try {
      while (!closed) {
        selector.select(100);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        long now = -1;
        for (SelectionKey key : selector.selectedKeys()) {
          Conn c = (Conn) key.attachment();
          try {
            if (key.isConnectable()) {
              c.connected();
            }
            if (key.isValid() && key.isWritable()) {
              c.flushOut();
            }
            if (key.isValid() && key.isReadable()) {
              if (now < 0) {
                now = Broadcaster.epochMicros();
              }
              c.read(now);
            }
          } catch (IOException | RuntimeException e) {
            c.fail();
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      e.printStackTrace();
    } finally {
      for (Conn c : connections) {
        c.closeQuietly();
      }
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** Starts more streams while fewer than {@link #MAX_PENDING} wait for their response. */
  private void fill() {
    while (toOpen > 0 && pending < MAX_PENDING) {
      if (h2) {
        H2Conn c = h2Ready.poll();
        if (c == null) {
          return;
        }
        if (c.failed) {
          continue;
        }
        toOpen--;
        pending++;
        c.startStream();
        h2Ready.add(c);
      } else {
        toOpen--;
        pending++;
        connect(new H1Conn());
      }
    }
  }

  private void connect(Conn c) {
    try {
      SocketChannel ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      c.channel = ch;
      connections.add(c);
      if (ch.connect(address)) {
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        c.connected();
      } else {
        c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
      }
    } catch (IOException e) {
      c.fail();
    }
  }

  /** A stream answered (200 counts as open) or failed before answering. */
  private void answered(Scanner s, boolean ok) {
    if (s.answered) {
      return;
    }
    s.answered = true;
    pending--;
    if (ok) {
      open.incrementAndGet();
    } else {
      failed.incrementAndGet();
    }
    started.countDown();
    fill();
  }

  /** Finds {@code data:} lines in a stream's body and records their stamps. */
  private final class Scanner {
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    boolean answered;
    // -1: skipping the rest of a line; 0..5: matched that much of "data:"; 6: reading digits
    private int state;
    private long value;
    private boolean digits;

    void feed(byte[] b, int from, int to, long now) {
      for (int i = from; i < to; i++) {
        byte c = b[i];
        if (c == '\n') {
          if (state == 6 && digits) {
            onStamp(now - value);
          }
          state = 0;
          value = 0;
          digits = false;
        } else if (state >= 0 && state < 5) {
          state = c == DATA[state] ? state + 1 : -1;
        } else if (state == 5 || state == 6) {
          state = 6;
          if (c >= '0' && c <= '9') {
            value = value * 10 + (c - '0');
            digits = true;
          }
        }
      }
    }

    private void onStamp(long micros) {
      if (!recording) {
        return;
      }
      delivered++;
      int i = sampleCount;
      if (i < samples.length) {
        samples[i] = micros;
      }
      sampleCount = i + 1;
    }
  }

  /** One TCP connection on the selector. */
  private abstract class Conn {
    SocketChannel channel;
    SelectionKey key;
    final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    boolean failed;

    abstract void onConnected() throws IOException;

    abstract void onBytes(byte[] b, int from, int to, long now) throws IOException;

    abstract void onClosed();

    void connected() throws IOException {
      if (channel.isConnectionPending()) {
        channel.finishConnect();
      }
      key.interestOps(SelectionKey.OP_READ);
      onConnected();
    }

    void write(byte[] bytes) throws IOException {
      out.add(ByteBuffer.wrap(bytes));
      flushOut();
    }

    void flushOut() throws IOException {
      while (!out.isEmpty()) {
        ByteBuffer b = out.peek();
        channel.write(b);
        if (b.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
          return;
        }
        out.poll();
      }
      if (key.isValid()) {
        key.interestOps(SelectionKey.OP_READ);
      }
    }

    void read(long now) throws IOException {
      while (true) {
        in.clear();
        int n = channel.read(in);
        if (n < 0) {
          fail();
          return;
        }
        if (n == 0) {
          return;
        }
        onBytes(in.array(), 0, n, now);
        if (n < in.capacity()) {
          // Most likely drained; the selector reports the socket again if not.
          return;
        }
      }
    }

    void fail() {
      if (failed) {
        return;
      }
      failed = true;
      closeQuietly();
      onClosed();
    }

    void closeQuietly() {
      try {
        channel.close();
      } catch (IOException | RuntimeException ignored) {
        // gone
      }
    }
  }

  /** HTTP/1.1: one request, a status line and headers, then a chunked (or raw) body. */
  private final class H1Conn extends Conn {
    private final Scanner scanner = new Scanner();
    private final StringBuilder head = new StringBuilder();
    private boolean inBody;
    private boolean chunked;
    // chunked decoding: 0 size line, 1 data, 2 CRLF after data
    private int chunkState;
    private long chunkLeft;
    private boolean sizeDone;

    @Override
    void onConnected() throws IOException {
      write(h1Request);
    }

    @Override
    void onBytes(byte[] b, int from, int to, long now) {
      int i = from;
      if (!inBody) {
        for (; i < to && !inBody; i++) {
          head.append((char) b[i]);
          int len = head.length();
          if (len >= 4 && head.charAt(len - 1) == '\n' && head.indexOf("\r\n\r\n") == len - 4) {
            inBody = true;
            String h = head.toString().toLowerCase(Locale.ROOT);
            chunked = h.contains("\r\ntransfer-encoding: chunked");
            answered(scanner, h.startsWith("http/1.1 200"));
          }
        }
      }
      if (!chunked) {
        scanner.feed(b, i, to, now);
        return;
      }
      while (i < to) {
        if (chunkState == 0) {
          byte c = b[i++];
          if (c == '\n') {
            chunkState = chunkLeft == 0 ? 3 : 1;
            sizeDone = false;
          } else if (!sizeDone) {
            int d = Character.digit(c, 16);
            if (d < 0) {
              sizeDone = true;
            } else {
              chunkLeft = chunkLeft * 16 + d;
            }
          }
        } else if (chunkState == 1) {
          int n = (int) Math.min(chunkLeft, to - i);
          scanner.feed(b, i, i + n, now);
          i += n;
          chunkLeft -= n;
          if (chunkLeft == 0) {
            chunkState = 2;
          }
        } else if (chunkState == 2) {
          if (b[i++] == '\n') {
            chunkState = 0;
          }
        } else {
          // The terminal chunk: the stream ended.
          i = to;
        }
      }
    }

    @Override
    void onClosed() {
      answered(scanner, false);
    }
  }

  /** HTTP/2 with prior knowledge: many streams on one connection. */
  private final class H2Conn extends Conn {
    private static final byte[] PREFACE =
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private final List<Scanner> byStream = new ArrayList<>();
    private final byte[] frame = new byte[64 * 1024];
    private int have;
    private int nextStream = 1;
    private long unacknowledged;

    /** The request's HPACK block: literal fields without indexing, no Huffman. */
    static byte[] requestBlock(String path, String authority) {
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      b.write(0x82); // :method GET
      b.write(0x86); // :scheme http
      literal(b, new byte[] {0x04}, path); // :path (static index 4)
      literal(b, new byte[] {0x01}, authority); // :authority (static index 1)
      literal(b, new byte[] {0x0f, 0x04}, "text/event-stream"); // accept (static index 19)
      literal(b, new byte[] {0x0f, 0x2b}, USER_AGENT); // user-agent (static index 58)
      literal(b, new byte[] {0x0f, 0x01}, "gzip"); // accept-encoding (static index 16)
      return b.toByteArray();
    }

    private static void literal(java.io.ByteArrayOutputStream b, byte[] name, String value) {
      byte[] v = value.getBytes(StandardCharsets.US_ASCII);
      if (v.length >= 127) {
        throw new IllegalArgumentException("header value too long for this client: " + value);
      }
      b.writeBytes(name);
      b.write(v.length);
      b.writeBytes(v);
    }

    @Override
    void onConnected() throws IOException {
      ByteBuffer hello = ByteBuffer.allocate(PREFACE.length + 9 + 12 + 9 + 4);
      hello.put(PREFACE);
      header(hello, 12, 0x4, 0, 0);
      hello.putShort((short) 0x2).putInt(0); // ENABLE_PUSH 0
      hello.putShort((short) 0x4).putInt(WINDOW); // INITIAL_WINDOW_SIZE
      header(hello, 4, 0x8, 0, 0);
      hello.putInt(WINDOW - 65_535); // connection window
      write(hello.array());
      h2Ready.add(this);
      fill();
    }

    void startStream() {
      int id = nextStream;
      nextStream += 2;
      Scanner s = new Scanner();
      byStream.add(s);
      ByteBuffer f = ByteBuffer.allocate(9 + h2Block.length);
      header(f, h2Block.length, 0x1, 0x5, id); // HEADERS, END_STREAM | END_HEADERS
      f.put(h2Block);
      try {
        write(f.array());
      } catch (IOException e) {
        fail();
      }
    }

    private static void header(ByteBuffer b, int length, int type, int flags, int stream) {
      b.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
      b.put((byte) type).put((byte) flags).putInt(stream);
    }

    private Scanner stream(int id) {
      int i = (id - 1) / 2;
      return id % 2 == 1 && i < byStream.size() ? byStream.get(i) : null;
    }

    @Override
    void onBytes(byte[] b, int from, int to, long now) throws IOException {
      int i = from;
      while (i < to) {
        int n = Math.min(to - i, frame.length - have);
        System.arraycopy(b, i, frame, have, n);
        have += n;
        i += n;
        int at = 0;
        while (have - at >= 9) {
          int len = (frame[at] & 0xff) << 16 | (frame[at + 1] & 0xff) << 8 | frame[at + 2] & 0xff;
          if (9 + len > frame.length) {
            throw new IOException("frame too large: " + len);
          }
          if (have - at < 9 + len) {
            break;
          }
          int type = frame[at + 3];
          int flags = frame[at + 4];
          int id =
              (frame[at + 5] & 0x7f) << 24
                  | (frame[at + 6] & 0xff) << 16
                  | (frame[at + 7] & 0xff) << 8
                  | frame[at + 8] & 0xff;
          onFrame(type, flags, id, at + 9, len, now);
          at += 9 + len;
        }
        System.arraycopy(frame, at, frame, 0, have - at);
        have -= at;
      }
    }

    private void onFrame(int type, int flags, int id, int at, int len, long now)
        throws IOException {
      switch (type) {
        case 0 -> { // DATA
          int pad = (flags & 0x8) != 0 ? (frame[at] & 0xff) + 1 : 0;
          Scanner s = stream(id);
          if (s != null) {
            s.feed(frame, at + (pad > 0 ? 1 : 0), at + len - Math.max(0, pad - 1), now);
          }
          unacknowledged += len;
          if (unacknowledged > WINDOW / 4) {
            ByteBuffer f = ByteBuffer.allocate(13);
            header(f, 4, 0x8, 0, 0);
            f.putInt((int) unacknowledged);
            unacknowledged = 0;
            write(f.array());
          }
        }
        case 1 -> { // HEADERS: the response's :status is its first field
          Scanner s = stream(id);
          if (s != null && !s.answered) {
            int p = at + ((flags & 0x8) != 0 ? 1 : 0) + ((flags & 0x20) != 0 ? 5 : 0);
            // Skip dynamic table size updates (001xxxxx).
            while (p < at + len && (frame[p] & 0xe0) == 0x20) {
              p++;
              if ((frame[p - 1] & 0x1f) == 0x1f) {
                while (p < at + len && (frame[p] & 0x80) != 0) {
                  p++;
                }
                p++;
              }
            }
            answered(s, p < at + len && (frame[p] & 0xff) == 0x88); // indexed :status 200
          }
        }
        case 3 -> { // RST_STREAM
          Scanner s = stream(id);
          if (s != null) {
            answered(s, false);
          }
        }
        case 4 -> { // SETTINGS
          if ((flags & 0x1) == 0) {
            ByteBuffer f = ByteBuffer.allocate(9);
            header(f, 0, 0x4, 0x1, 0);
            write(f.array());
          }
        }
        case 6 -> { // PING
          if ((flags & 0x1) == 0) {
            ByteBuffer f = ByteBuffer.allocate(17);
            header(f, 8, 0x6, 0x1, 0);
            f.put(frame, at, 8);
            write(f.array());
          }
        }
        case 7 -> fail(); // GOAWAY
        default -> {
          // PRIORITY, WINDOW_UPDATE, CONTINUATION (never needed for :status): nothing to do
        }
      }
    }

    @Override
    void onClosed() {
      for (Scanner s : byStream) {
        answered(s, false);
      }
    }
  }
}
