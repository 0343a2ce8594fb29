package dev.ssexporter.core.engine;

import dev.ssexporter.core.aggregate.Aggregates;
import java.util.List;
import java.util.Objects;

/**
 * Everything one kernel dump yields, ready to be exported: the flows, the RTT histogram and the
 * collection's own statistics. Built once per scrape and shared by every metric family.
 *
 * @param flows one entry per distinct {@code flow} label, never two with the same label
 * @param rtt the RTT histogram over the selected sockets; empty (all zero) when the dump failed
 * @param stats how the collection went
 * @param aggregates the {@code logic.aggregation} results; empty when the dump failed or they are off
 */
public record Scrape(List<FlowSample> flows, RttHistogram rtt, ScrapeStats stats, Aggregates aggregates) {

    public Scrape {
        flows = List.copyOf(flows);
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(aggregates, "aggregates");
    }

    /** A scrape without aggregates. */
    public Scrape(List<FlowSample> flows, RttHistogram rtt, ScrapeStats stats) {
        this(flows, rtt, stats, Aggregates.empty());
    }
}
