package dev.ssexporter.core.engine;

import dev.ssexporter.core.signals.SignalValues;
import dev.ssexporter.core.signals.TcpSignal;
import java.util.Comparator;
import java.util.Objects;

/**
 * One exported flow: the sockets that share one {@code flow} label after folding, with their
 * values combined. With {@code raw_endpoint} folding a flow is normally one socket; with
 * {@code pid_condensed} several connections of one process to one peer share a label.
 *
 * <p>How values combine when {@code sockets > 1}: {@code rttMs} is the mean of the sockets' RTTs;
 * {@code cwnd}, {@code deliveryRate}, {@code dataSegsIn} and {@code dataSegsOut} are sums; each
 * opt-in signal folds as its {@link TcpSignal#fold()} says, over the sockets that reported it.
 *
 * @param flow the {@code flow} label value
 * @param rttMs smoothed RTT in milliseconds ({@code tcpi_rtt / 1000})
 * @param cwnd congestion window in segments ({@code tcpi_snd_cwnd})
 * @param deliveryRate delivery rate in bytes per second ({@code tcpi_delivery_rate}); 0 when the
 *     kernel does not report it
 * @param dataSegsIn data segments received ({@code tcpi_data_segs_in})
 * @param dataSegsOut data segments sent ({@code tcpi_data_segs_out})
 * @param sockets how many sockets were folded into this flow, at least 1
 * @param signals the opt-in signals switched on and reported, in base units
 * @param netns the {@code netns} label value: the network namespace the sockets are in, when
 *     several are read; empty when the series carry no such label
 */
public record FlowSample(String flow, double rttMs, long cwnd, long deliveryRate, long dataSegsIn,
                         long dataSegsOut, int sockets, SignalValues signals, String netns) {

    /** Orders flows as client_java orders their data points: by {@code flow}, then {@code netns}. */
    public static final Comparator<FlowSample> LABEL_ORDER =
            Comparator.comparing(FlowSample::flow).thenComparing(FlowSample::netns);

    public FlowSample {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(signals, "signals");
        Objects.requireNonNull(netns, "netns");
        if (sockets < 1) {
            throw new IllegalArgumentException("a flow folds at least one socket, got " + sockets);
        }
    }

    /** A flow without opt-in signals and without a {@code netns} label. */
    public FlowSample(String flow, double rttMs, long cwnd, long deliveryRate, long dataSegsIn, long dataSegsOut,
                      int sockets) {
        this(flow, rttMs, cwnd, deliveryRate, dataSegsIn, dataSegsOut, sockets, SignalValues.none(), "");
    }

    /** A flow with opt-in signals, without a {@code netns} label. */
    public FlowSample(String flow, double rttMs, long cwnd, long deliveryRate, long dataSegsIn, long dataSegsOut,
                      int sockets, SignalValues signals) {
        this(flow, rttMs, cwnd, deliveryRate, dataSegsIn, dataSegsOut, sockets, signals, "");
    }

    /** A flow without opt-in signals, with a {@code netns} label (empty for none). */
    public FlowSample(String flow, double rttMs, long cwnd, long deliveryRate, long dataSegsIn, long dataSegsOut,
                      int sockets, String netns) {
        this(flow, rttMs, cwnd, deliveryRate, dataSegsIn, dataSegsOut, sockets, SignalValues.none(), netns);
    }

    /** Whether this flow's series carry a {@code netns} label. */
    public boolean hasNetns() {
        return !netns.isEmpty();
    }
}
