package dev.ssexporter.core.engine;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running totals a {@link SocketStatsEngine} reports in {@link ScrapeStats}: failed and
 * interrupted dumps, skipped processes, failed host lookups, dropped flows. An engine makes its
 * own unless given one; an exporter that replaces its engine on a config reload passes the same
 * instance to the new engine, so its counters keep counting instead of starting again at zero.
 * Thread-safe; engines that share it add to it concurrently.
 *
 * <pre>{@code
 * RunningTotals totals = RunningTotals.create();
 * SocketStatsEngine first = SocketStatsEngine.builder().config(a).source(reader).totals(totals).build();
 * // after a reload:
 * SocketStatsEngine second = SocketStatsEngine.builder().config(b).source(reader2).totals(totals).build();
 * }</pre>
 */
public final class RunningTotals {
    final AtomicLong netlinkErrors = new AtomicLong();
    final AtomicLong dumpInterruptions = new AtomicLong();
    final AtomicLong procErrors = new AtomicLong();
    final AtomicLong resolveFailures = new AtomicLong();
    final AtomicLong flowsDropped = new AtomicLong();

    private RunningTotals() {}

    /** All zero. */
    public static RunningTotals create() {
        return new RunningTotals();
    }

    /**
     * For a source that counts on its own (e.g. one engine per network namespace, summed): adds to
     * these totals what {@code now} counted beyond {@code before}, and returns {@code now} with
     * these totals in place of its own, so that a source replacing another on a reload continues
     * its counts. Call with each source's successive stats, {@code before} null the first time.
     */
    public ScrapeStats carry(ScrapeStats before, ScrapeStats now) {
        Objects.requireNonNull(now, "now");
        long netlink = advance(netlinkErrors, before == null ? 0 : before.netlinkErrorsTotal(),
                now.netlinkErrorsTotal());
        long interruptions = advance(dumpInterruptions, before == null ? 0 : before.dumpInterruptionsTotal(),
                now.dumpInterruptionsTotal());
        long proc = advance(procErrors, before == null ? 0 : before.procErrorsTotal(), now.procErrorsTotal());
        long resolve = advance(resolveFailures, before == null ? 0 : before.resolveFailuresTotal(),
                now.resolveFailuresTotal());
        long dropped = advance(flowsDropped, before == null ? 0 : before.flowsDroppedTotal(), now.flowsDroppedTotal());
        return new ScrapeStats(now.success(), now.error(), now.durationSeconds(), now.socketsSeen(),
                now.socketsSelected(), now.flows(), now.dumpInterrupted(), netlink, interruptions, proc, resolve,
                dropped);
    }

    private static long advance(AtomicLong total, long before, long now) {
        return total.addAndGet(Math.max(0, now - before));
    }

    @Override
    public String toString() {
        return "RunningTotals[netlinkErrors=" + netlinkErrors + ", dumpInterruptions=" + dumpInterruptions
                + ", procErrors=" + procErrors + ", resolveFailures=" + resolveFailures + ", flowsDropped="
                + flowsDropped + "]";
    }
}
