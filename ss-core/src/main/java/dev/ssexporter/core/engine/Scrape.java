package dev.ssexporter.core.engine;

import dev.ssexporter.core.aggregate.Aggregates;
import java.util.List;
import java.util.Objects;

/**
 * Everything one kernel dump yields, ready to be exported: the flows, the RTT histogram and the
 * collection's own statistics. Built once per scrape and shared by every metric family.
 *
 * @param flows one entry per distinct {@code flow} label, never two with the same label; kept as
 *     given when it is a {@link FlowList} (immutable already), copied otherwise
 * @param rtt the RTT histogram over the selected sockets; empty (all zero) when the dump failed
 * @param stats how the collection went; with several namespaces, their sums
 * @param aggregates the {@code logic.aggregation} results; empty when the dump failed or they are off
 * @param namespaces each network namespace's part, when several are read and the series carry a
 *     {@code netns} label; empty otherwise
 */
public record Scrape(List<FlowSample> flows, RttHistogram rtt, ScrapeStats stats, Aggregates aggregates,
                     List<NamespaceStats> namespaces) {

    public Scrape {
        flows = flows instanceof FlowList ? flows : List.copyOf(flows);
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(aggregates, "aggregates");
        namespaces = List.copyOf(namespaces);
    }

    /** A scrape of one namespace, without {@code netns} labels. */
    public Scrape(List<FlowSample> flows, RttHistogram rtt, ScrapeStats stats, Aggregates aggregates) {
        this(flows, rtt, stats, aggregates, List.of());
    }

    /** A scrape without aggregates. */
    public Scrape(List<FlowSample> flows, RttHistogram rtt, ScrapeStats stats) {
        this(flows, rtt, stats, Aggregates.empty());
    }
}
