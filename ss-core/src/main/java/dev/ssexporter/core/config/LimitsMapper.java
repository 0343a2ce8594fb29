package dev.ssexporter.core.config;

import dev.ssexporter.core.config.NodeReader.Fields;
import dev.ssexporter.core.config.NodeReader.Key;
import java.util.Optional;

/** Maps {@code logic.limits} to {@link LimitsConfig}; an absent key keeps its default. */
final class LimitsMapper {
    private LimitsMapper() {}

    static LimitsConfig map(Optional<Located> limits, NodeReader reader) {
        Fields f = reader.fields(limits, Key.of("maxFlows", "max_flows"));
        int maxFlows = f.get("maxFlows").flatMap(at -> reader.integer(at).flatMap(v -> {
            if (v < 1 || v > Integer.MAX_VALUE) {
                reader.error(at, "expected a number of flows from 1 to " + Integer.MAX_VALUE + ", got " + v);
                return Optional.empty();
            }
            return Optional.of(v.intValue());
        })).orElse(LimitsConfig.DEFAULT_MAX_FLOWS);
        return new LimitsConfig(maxFlows);
    }
}
