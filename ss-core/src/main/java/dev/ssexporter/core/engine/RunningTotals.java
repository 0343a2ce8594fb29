package dev.ssexporter.core.engine;

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

    @Override
    public String toString() {
        return "RunningTotals[netlinkErrors=" + netlinkErrors + ", dumpInterruptions=" + dumpInterruptions
                + ", procErrors=" + procErrors + ", resolveFailures=" + resolveFailures + ", flowsDropped="
                + flowsDropped + "]";
    }
}
