package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowSample;
import java.util.List;
import java.util.Objects;

/**
 * One collection's flows made ready for {@link FlowTextWriter}: sorted as client_java sorts data
 * points, and their labels encoded. Done at most once, by the first scrape that streams them;
 * scrapes sharing the same collection (concurrent scrapes, see {@link SingleFlight}) reuse the
 * result instead of each holding its own copy of the labels.
 */
public final class StreamableFlows {
    private final List<FlowSample> flows;
    private Prepared prepared;

    /**
     * The sorted flows and their labels.
     *
     * @param flows sorted by label, without duplicates
     * @param labels {@code FlowLabels.of(flows)}
     */
    public record Prepared(List<FlowSample> flows, FlowLabels labels) {
        public Prepared {
            Objects.requireNonNull(flows, "flows");
            Objects.requireNonNull(labels, "labels");
        }
    }

    /** @param flows a collection's flows, in any order */
    public StreamableFlows(List<FlowSample> flows) {
        this.flows = Objects.requireNonNull(flows, "flows");
    }

    /**
     * Sorts and encodes on the first call; later calls return the same result.
     *
     * @throws IllegalArgumentException when two flows have the same label
     */
    public synchronized Prepared get() {
        if (prepared == null) {
            List<FlowSample> sorted = ScrapeSnapshots.sortedFlows(flows);
            prepared = new Prepared(sorted, FlowLabels.of(sorted));
        }
        return prepared;
    }
}
