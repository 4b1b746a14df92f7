package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WebSocketOutboundTest {

  /** Records calls; completes each at once or leaves it pending. */
  private static final class FakeWire implements WebSocketWire {
    final List<String> calls = new ArrayList<>();
    final List<Done> pending = new ArrayList<>();
    boolean synchronous = true;
    int depth;
    int maxDepth;

    private void op(String what, Done done) {
      calls.add(what);
      if (synchronous) {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        done.completed(null);
        depth--;
      } else {
        pending.add(done);
      }
    }

    @Override
    public void text(String text, Done done) {
      op("text:" + text, done);
    }

    @Override
    public void binary(byte[] data, Done done) {
      op("binary:" + data.length, done);
    }

    @Override
    public void fragment(String text, byte[] data, boolean first, boolean last, Done done) {
      op("fragment:" + text + ":" + first + ":" + last, done);
    }

    @Override
    public void ping(byte[] payload, Done done) {
      op("ping", done);
    }

    @Override
    public void close(int code, String reason, Done done) {
      op("close:" + code, done);
    }

    @Override
    public void abort(int code, String reason) {
      calls.add("abort");
    }
  }

  @Test
  void synchronousCompletionsDoNotRecurse() {
    FlowControl flow = new FlowControl(1 << 20, 1 << 10);
    WebSocketOutbound out = new WebSocketOutbound(flow, e -> {});
    for (int i = 0; i < 10_000; i++) {
      out.message("m", null, 1, false, true, true);
      flow.enqueued(1);
    }
    FakeWire wire = new FakeWire();
    out.attach(wire);
    assertEquals(10_000, wire.calls.size());
    assertEquals(1, wire.maxDepth);
    assertEquals(0, flow.bufferedAmount());
  }

  @Test
  void oneOperationInFlightInOrder() {
    FlowControl flow = new FlowControl(100, 10);
    WebSocketOutbound out = new WebSocketOutbound(flow, e -> {});
    FakeWire wire = new FakeWire();
    wire.synchronous = false;
    out.attach(wire);
    out.message("a", null, 1, false, true, true);
    out.pump();
    out.message(null, new byte[3], 3, false, true, true);
    out.pump();
    assertEquals(List.of("text:a"), wire.calls);
    wire.pending.remove(0).completed(null);
    assertEquals(List.of("text:a", "binary:3"), wire.calls);
  }

  @Test
  void nothingFollowsTheClose() {
    WebSocketOutbound out = new WebSocketOutbound(new FlowControl(100, 10), e -> {});
    FakeWire wire = new FakeWire();
    out.attach(wire);
    assertTrue(out.close(4001, "bye"));
    out.pump();
    assertFalse(out.message("late", null, 4, false, true, true));
    assertFalse(out.ping(new byte[0]));
    assertFalse(out.close(1000, ""));
    out.pump();
    assertEquals(List.of("close:4001"), wire.calls);
  }

  @Test
  void aFailedSendStopsTheQueue() {
    List<Throwable> failures = new ArrayList<>();
    WebSocketOutbound out = new WebSocketOutbound(new FlowControl(100, 10), failures::add);
    FakeWire wire = new FakeWire();
    wire.synchronous = false;
    out.attach(wire);
    out.message("a", null, 1, false, true, true);
    out.message("b", null, 1, false, true, true);
    out.pump();
    wire.pending.remove(0).completed(new java.io.IOException("broken pipe"));
    assertEquals(1, failures.size());
    assertEquals(List.of("text:a"), wire.calls);
    assertFalse(out.message("c", null, 1, false, true, true));
  }

  @Test
  void onlyOnePingWaitsAtATime() {
    WebSocketOutbound out = new WebSocketOutbound(new FlowControl(100, 10), e -> {});
    assertTrue(out.ping(new byte[0]));
    assertTrue(out.ping(new byte[0]));
    FakeWire wire = new FakeWire();
    out.attach(wire);
    assertEquals(List.of("ping"), wire.calls);
  }
}
