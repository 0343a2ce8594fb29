package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowSample;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Writes one per-flow family of a scrape straight from its flows, in one exposition format. */
public sealed interface FlowFamilyWriter permits FlowTextWriter, FlowProtobufWriter {
    /**
     * Writes family {@code f} for {@code flows}, which must be sorted by label, without
     * duplicates (see {@link ScrapeSnapshots#sortedFlows}); nothing for no flows, as client_java
     * writes nothing for a family without data points. An opt-in signal family skips the flows
     * that lack the signal, as {@link SignalSnapshots} does. Does not flush or close {@code out}.
     *
     * @param labels {@code FlowLabels.of(flows)}, which the text formats copy
     */
    void write(OutputStream out, Family f, List<FlowSample> flows, FlowLabels labels) throws IOException;
}
