package dev.ssexporter.core.signals;

/**
 * How the values of the sockets that share one flow label become the flow's value. Sockets that
 * did not report the member take no part; a flow none of whose sockets reported it has no value.
 */
public enum SignalFold {
    /** The sum: totals, counters and rates. */
    SUM,
    /** The arithmetic mean of the reporting sockets. */
    MEAN,
    /** The smallest value: a lower bound such as the minimum RTT. */
    MIN,
    /** The largest value: the worst socket, such as the longest RTO backoff. */
    MAX
}
