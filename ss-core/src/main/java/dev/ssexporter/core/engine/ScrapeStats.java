package dev.ssexporter.core.engine;

/**
 * How one collection went, plus the engine's running totals, for the exporter's own metrics.
 *
 * @param success whether the kernel dump completed; false means the flows are missing, not zero
 * @param error what went wrong when {@code success} is false (e.g. the errno message), else null
 * @param durationSeconds wall time of the collection: dump, attribution, selection and folding
 * @param socketsSeen sockets the kernel reported in the dumped states that passed the kernel-side
 *     filter (port ranges and peering networks), before the exporter's own selection
 * @param socketsSelected sockets that passed the selection
 * @param flows flow series exported after folding, at most {@code logic.limits.maxFlows}
 * @param dumpInterrupted whether the kernel flagged this dump as interrupted (the socket table
 *     changed while it was walked)
 * @param netlinkErrorsTotal failed dumps since start
 * @param dumpInterruptionsTotal interrupted dumps since start
 * @param procErrorsTotal processes the {@code /proc} walk skipped since start (vanished, or
 *     access denied)
 * @param resolveFailuresTotal failed host name lookups since start
 * @param flowsDroppedTotal flow series left out since start because a scrape had more flows than
 *     {@code logic.limits.maxFlows}
 */
public record ScrapeStats(
        boolean success,
        String error,
        double durationSeconds,
        long socketsSeen,
        long socketsSelected,
        long flows,
        boolean dumpInterrupted,
        long netlinkErrorsTotal,
        long dumpInterruptionsTotal,
        long procErrorsTotal,
        long resolveFailuresTotal,
        long flowsDroppedTotal) {

    /** Stats with no flows dropped since start. */
    public ScrapeStats(boolean success, String error, double durationSeconds, long socketsSeen, long socketsSelected,
                       long flows, boolean dumpInterrupted, long netlinkErrorsTotal, long dumpInterruptionsTotal,
                       long procErrorsTotal, long resolveFailuresTotal) {
        this(success, error, durationSeconds, socketsSeen, socketsSelected, flows, dumpInterrupted, netlinkErrorsTotal,
                dumpInterruptionsTotal, procErrorsTotal, resolveFailuresTotal, 0);
    }
}
