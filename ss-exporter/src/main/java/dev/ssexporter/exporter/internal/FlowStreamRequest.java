package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowSample;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A registry scrape whose caller streams the per-flow families itself.
 *
 * <p>{@link StreamingScrapeHandler} passes one to {@code registry.scrape(request)}. A
 * {@code SocketStatsCollector} that sees it returns only its small families (self metrics,
 * histogram) as snapshots and {@linkplain #attach attaches} the flows of the very same scrape, so
 * that one collection feeds both and the flows are never turned into snapshots. Every other
 * collector just sees a request without query parameters. Used by one request thread.
 */
public final class FlowStreamRequest implements PrometheusScrapeRequest {
    private final String path;
    private final List<FlowFamilies> attached = new ArrayList<>(1);

    /**
     * The per-flow families one collector left out of its snapshots, to be streamed.
     *
     * @param families the enabled per-flow families
     * @param flows the flows, sorted by label without duplicates ({@link ScrapeSnapshots#sortedFlows})
     * @param labels {@code FlowLabels.of(flows)}, shared by every family
     */
    public record FlowFamilies(List<Family> families, List<FlowSample> flows, FlowLabels labels) {
        public FlowFamilies {
            families = List.copyOf(families);
            Objects.requireNonNull(flows, "flows");
            Objects.requireNonNull(labels, "labels");
            if (labels.size() != flows.size()) {
                throw new IllegalArgumentException(labels.size() + " label sets for " + flows.size() + " flows");
            }
        }
    }

    public FlowStreamRequest(String path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** Called by the collector during the registry scrape. */
    public void attach(FlowFamilies families) {
        attached.add(Objects.requireNonNull(families, "families"));
    }

    /** What the collectors attached; empty when the registry has no socket collector. */
    public List<FlowFamilies> attached() {
        return List.copyOf(attached);
    }

    @Override
    public String getRequestPath() {
        return path;
    }

    @Override
    public String[] getParameterValues(String name) {
        return null;
    }
}
