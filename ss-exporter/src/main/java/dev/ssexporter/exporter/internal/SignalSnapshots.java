package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.signals.TcpSignal;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * The snapshot of one opt-in signal family ({@link Family#signal()}): one data point per flow that
 * has the signal; a flow whose sockets did not report it has no data point, rather than a 0.
 */
final class SignalSnapshots {
    private SignalSnapshots() {}

    static MetricSnapshot family(Family f, List<FlowSample> flows, Labels[] labels) {
        TcpSignal signal = f.signal();
        if (signal.counter()) {
            CounterSnapshot.Builder b = f.describe(CounterSnapshot.builder());
            for (int i = 0; i < labels.length; i++) {
                if (flows.get(i).signals().has(signal)) {
                    b.dataPoint(CounterDataPointSnapshot.builder()
                            .labels(labels[i])
                            .value(flows.get(i).signals().get(signal))
                            .build());
                }
            }
            return b.build();
        }
        GaugeSnapshot.Builder b = f.describe(GaugeSnapshot.builder());
        for (int i = 0; i < labels.length; i++) {
            if (flows.get(i).signals().has(signal)) {
                b.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(labels[i])
                        .value(flows.get(i).signals().get(signal))
                        .build());
            }
        }
        return b.build();
    }
}
