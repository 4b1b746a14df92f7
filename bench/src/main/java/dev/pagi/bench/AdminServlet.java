package dev.pagi.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.pagi.servlet.PagiServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Measurement endpoints for the driver, as {@code key=value} lines: {@code /admin/heap} (used, peak
 * and old-generation peak heap since the last {@code ?reset}), {@code /admin/gc} (heap used after
 * full GCs), {@code /admin/stats} (open file descriptors, process CPU time, bytes allocated, PAGI
 * live exchanges, SSE subscribers).
 */
final class AdminServlet extends HttpServlet {
  private final PagiServlet pagi;
  private final Broadcaster<?> pagiSse;
  private final Broadcaster<?> springSse;
  private final Broadcaster<?> plainSse;

  AdminServlet(
      PagiServlet pagi, Broadcaster<?> pagiSse, Broadcaster<?> springSse, Broadcaster<?> plainSse) {
    this.pagi = pagi;
    this.pagiSse = pagiSse;
    this.springSse = springSse;
    this.plainSse = plainSse;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    StringBuilder out = new StringBuilder();
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    switch (path) {
      case "/heap" -> {
        long peak = 0;
        long oldPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == MemoryType.HEAP) {
            peak += pool.getPeakUsage().getUsed();
            if (pool.getName().contains("Old") || pool.getName().contains("Tenured")) {
              oldPeak += pool.getPeakUsage().getUsed();
            }
            if (req.getParameter("reset") != null) {
              pool.resetPeakUsage();
            }
          }
        }
        out.append("used=").append(used()).append('\n').append("peak=").append(peak).append('\n');
        out.append("old_peak=").append(oldPeak).append('\n');
      }
      case "/gc" -> {
        for (int i = 0; i < 3; i++) {
          System.gc();
        }
        out.append("used=").append(used()).append('\n');
      }
      case "/stats" -> {
        long fds =
            ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean u
                ? u.getOpenFileDescriptorCount()
                : -1;
        out.append("fds=").append(fds).append('\n');
        out.append("cpu_ns=").append(cpuNanos()).append('\n');
        out.append("allocated=").append(allocatedBytes()).append('\n');
        out.append("pagi_active=").append(pagi.activeExchanges()).append('\n');
        out.append("pagi_sse=").append(pagiSse.size()).append('\n');
        out.append("spring_sse=").append(springSse.size()).append('\n');
        out.append("plain_sse=").append(plainSse.size()).append('\n');
        out.append("pagi_offered=").append(pagiSse.offered()).append('\n');
        out.append("pagi_shed=").append(pagiSse.shed()).append('\n');
        out.append("spring_offered=").append(springSse.offered()).append('\n');
        out.append("spring_shed=").append(springSse.shed()).append('\n');
        out.append("plain_offered=").append(plainSse.offered()).append('\n');
        out.append("plain_shed=").append(plainSse.shed()).append('\n');
      }
      default -> {
        resp.sendError(404);
        return;
      }
    }
    resp.setContentType("text/plain");
    resp.getWriter().write(out.toString());
  }

  /** CPU time of the whole server process (every thread: request handling, GC, JIT). */
  private static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  /** Heap bytes allocated by every thread since the start, where the JVM can tell. */
  private static long allocatedBytes() {
    return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
            && t.isThreadAllocatedMemorySupported()
            && t.isThreadAllocatedMemoryEnabled()
        ? t.getTotalThreadAllocatedBytes()
        : -1;
  }

  private static long used() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
