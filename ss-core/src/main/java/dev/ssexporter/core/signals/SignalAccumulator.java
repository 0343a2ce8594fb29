package dev.ssexporter.core.signals;

import dev.ssexporter.netlink.TcpInfo;
import java.util.Set;

/**
 * Folds the switched-on signals of the sockets that share one flow label, as each signal's
 * {@link SignalFold} says. One per flow, used on one thread.
 */
public final class SignalAccumulator {
    private final TcpSignal[] enabled;
    /** Running sum, min or max per signal ordinal; NaN until a socket reports it. */
    private final double[] acc = SignalValues.absentArray();
    /** Reporting sockets per signal ordinal, for the mean. */
    private final int[] reported;

    private SignalAccumulator(TcpSignal[] enabled) {
        this.enabled = enabled;
        this.reported = new int[acc.length];
    }

    /** An accumulator of {@code signals}; with none, {@link #toValues()} is {@link SignalValues#none()}. */
    public static SignalAccumulator of(Set<TcpSignal> signals) {
        return new SignalAccumulator(signals.toArray(TcpSignal[]::new));
    }

    /** Adds one socket's values; members it lacks are skipped. */
    public void add(TcpInfo info) {
        for (TcpSignal s : enabled) {
            if (!s.presentIn(info)) {
                continue;
            }
            double v = s.value(info);
            int i = s.ordinal();
            double old = acc[i];
            if (reported[i]++ == 0) {
                acc[i] = v;
            } else {
                acc[i] = switch (s.fold()) {
                    case SUM, MEAN -> old + v;
                    case MIN -> Math.min(old, v);
                    case MAX -> Math.max(old, v);
                };
            }
        }
    }

    /** The folded values: absent for a signal no socket reported. */
    public SignalValues toValues() {
        if (enabled.length == 0) {
            return SignalValues.none();
        }
        double[] out = acc.clone();
        for (TcpSignal s : enabled) {
            int i = s.ordinal();
            if (s.fold() == SignalFold.MEAN && reported[i] > 0) {
                out[i] = acc[i] / reported[i];
            }
        }
        return SignalValues.wrap(out);
    }
}
