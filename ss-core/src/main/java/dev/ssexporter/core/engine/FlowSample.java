package dev.ssexporter.core.engine;

import dev.ssexporter.core.signals.SignalValues;
import dev.ssexporter.core.signals.TcpSignal;
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
 */
public record FlowSample(String flow, double rttMs, long cwnd, long deliveryRate, long dataSegsIn,
                         long dataSegsOut, int sockets, SignalValues signals) {

    public FlowSample {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(signals, "signals");
        if (sockets < 1) {
            throw new IllegalArgumentException("a flow folds at least one socket, got " + sockets);
        }
    }

    /** A flow without opt-in signals. */
    public FlowSample(String flow, double rttMs, long cwnd, long deliveryRate, long dataSegsIn, long dataSegsOut,
                      int sockets) {
        this(flow, rttMs, cwnd, deliveryRate, dataSegsIn, dataSegsOut, sockets, SignalValues.none());
    }
}
