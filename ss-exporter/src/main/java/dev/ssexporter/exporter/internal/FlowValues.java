package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowList;
import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.signals.SignalValues;
import dev.ssexporter.core.signals.TcpSignal;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A per-flow family's value for one flow, read from an engine's columns when it can be; and the
 * sentinel flow the per-flow writers render through client_java to take their templates from.
 */
final class FlowValues {
    /** A label value that needs no escaping and cannot be confused with the rest of a line. */
    static final String SENTINEL = "ss-exporter-template-flow";

    private FlowValues() {}

    /** A flow labelled {@link #SENTINEL} (and {@code netns}, unless empty) with every signal, all values 0. */
    static FlowSample sentinel(String netns) {
        SignalValues allZero = SignalValues.of(Stream.of(TcpSignal.values())
                .collect(Collectors.toMap(Function.identity(), s -> 0.0)));
        return new FlowSample(SENTINEL, 0, 0, 0, 0, 0, 1, allZero, netns);
    }

    /** Whether flow {@code i} has family {@code f}'s value: always, except for an opt-in signal it lacks. */
    static boolean has(Family f, List<FlowSample> flows, int i) {
        TcpSignal signal = f.signal();
        return signal == null
                || (flows instanceof FlowList list ? list.signals(i) : flows.get(i).signals()).has(signal);
    }

    /** Whether some flow has family {@code f}'s value. */
    static boolean any(Family f, List<FlowSample> flows) {
        for (int i = 0; i < flows.size(); i++) {
            if (has(f, flows, i)) {
                return true;
            }
        }
        return false;
    }

    /** Family {@code f}'s value for flow {@code i}, as client_java's snapshots hold it. */
    static double value(Family f, List<FlowSample> flows, int i) {
        if (flows instanceof FlowList list) {
            return switch (f) {
                case TCP_RTT -> list.rttMs(i);
                case TCP_CWND -> list.cwnd(i);
                case TCP_DELIVERY_RATE -> list.deliveryRate(i);
                case TCP_DATA_SEGS_IN -> list.dataSegsIn(i);
                case TCP_DATA_SEGS_OUT -> list.dataSegsOut(i);
                default -> list.signals(i).get(signalOf(f));
            };
        }
        FlowSample s = flows.get(i);
        return switch (f) {
            case TCP_RTT -> s.rttMs();
            case TCP_CWND -> s.cwnd();
            case TCP_DELIVERY_RATE -> s.deliveryRate();
            case TCP_DATA_SEGS_IN -> s.dataSegsIn();
            case TCP_DATA_SEGS_OUT -> s.dataSegsOut();
            default -> s.signals().get(signalOf(f));
        };
    }

    private static TcpSignal signalOf(Family f) {
        if (f.signal() == null) {
            throw new IllegalArgumentException(f + " is not a per-flow family");
        }
        return f.signal();
    }
}
