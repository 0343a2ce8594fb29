package dev.ssexporter.core.config;

import dev.ssexporter.core.config.NodeReader.Fields;
import dev.ssexporter.core.config.NodeReader.Key;
import dev.ssexporter.core.selection.Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Maps {@code logic.aggregation} to {@link AggregationConfig}. Each part is a mapping with
 * {@code active}; an absent part, or one without {@code active}, takes its default: services off;
 * socket states and listeners on when counting them costs no dump of its own, i.e. when the
 * selection has no kernel-side filter ({@link AggregationConfig#defaultsFor}). {@code
 * services.peerGroups} is a mapping from group name to a list of networks, tried in the order
 * written.
 */
final class AggregationMapper {
    private static final Key ACTIVE = Key.of("active");

    private final NodeReader reader;

    private AggregationMapper(NodeReader reader) {
        this.reader = reader;
    }

    /**
     * @param kernelFiltered whether the selection's dump carries a kernel-side filter
     *     ({@link dev.ssexporter.core.selection.KernelFilters#filtersInKernel}), which decides the
     *     defaults of socket states and listeners
     */
    static AggregationConfig map(Optional<Located> aggregation, NodeReader reader, boolean kernelFiltered) {
        return new AggregationMapper(reader).map(aggregation, kernelFiltered);
    }

    private AggregationConfig map(Optional<Located> aggregation, boolean kernelFiltered) {
        AggregationConfig defaults = AggregationConfig.defaultsFor(kernelFiltered);
        Fields a = reader.fields(aggregation, Key.of("socketStates", "socket_states"), Key.of("listeners"),
                Key.of("services"));
        boolean states = active(part(a.get("socketStates"), ACTIVE), defaults.socketStates());
        boolean listeners = active(part(a.get("listeners"), ACTIVE), defaults.listeners());
        Fields s = part(a.get("services"), ACTIVE, Key.of("peerGroups", "peer_groups"),
                Key.of("maxServices", "max_services"));
        boolean services = active(s, defaults.services().active());
        List<PeerGroup> groups = s.get("peerGroups").map(this::peerGroups).orElse(List.of());
        int max = s.get("maxServices").flatMap(this::maxServices).orElse(ServicesConfig.DEFAULT_MAX_SERVICES);
        return new AggregationConfig(states, listeners, new ServicesConfig(services, groups, max));
    }

    /** A part's mapping; a bare boolean gets a hint on how to write it. */
    private Fields part(Optional<Located> at, Key... keys) {
        if (at.isPresent() && at.get().node() instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            reader.error(at.get(), "expected a mapping such as {active: " + s.getValue() + "}, got "
                    + NodeReader.describe(s));
            return Fields.NONE;
        }
        return reader.fields(at, keys);
    }

    private boolean active(Fields fields, boolean otherwise) {
        return fields.get("active").flatMap(reader::bool).orElse(otherwise);
    }

    private Optional<Integer> maxServices(Located at) {
        return reader.integer(at).flatMap(v -> {
            if (v < 1 || v > ServicesConfig.MAX_MAX_SERVICES) {
                reader.error(at, "maxServices must be in 1.." + ServicesConfig.MAX_MAX_SERVICES + ", got " + v);
                return Optional.empty();
            }
            return Optional.of(v.intValue());
        });
    }

    /** {@code {name: [cidr, ...], ...}}, in file order; invalid groups are reported and left out. */
    private List<PeerGroup> peerGroups(Located at) {
        if (!(at.node() instanceof MappingNode mapping)) {
            reader.error(at, "expected a mapping from group name to a list of networks, such as"
                    + " {internal: [10.0.0.0/8]}, got " + NodeReader.describe(at.node()));
            return List.of();
        }
        List<PeerGroup> out = new ArrayList<>();
        Map<String, ScalarNode> seen = new HashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode) || !keyNode.getTag().equals(Tag.STR)) {
                reader.error(at.path(), t.getKeyNode(), "a peer group name must be a string, got "
                        + NodeReader.describe(t.getKeyNode()));
                continue;
            }
            String name = keyNode.getValue();
            Located value = at.child(name, t.getValueNode());
            ScalarNode first = seen.putIfAbsent(name, keyNode);
            if (first != null) {
                reader.error(value.path(), keyNode, "duplicate peer group; first given at line " + NodeReader.line(first));
                continue;
            }
            if (name.isBlank() || name.equals(PeerGroup.OTHER)) {
                reader.error(value.path(), keyNode, name.isBlank() ? "a peer group name must not be empty"
                        : "the peer group name \"other\" is reserved for peers in no group");
                continue;
            }
            List<Cidr> networks = new ArrayList<>();
            boolean ok = true;
            for (Located e : reader.list(value, "a list of networks")) {
                Optional<Cidr> c = reader.string(e).flatMap(text -> cidr(e, text));
                ok &= c.isPresent();
                c.ifPresent(networks::add);
            }
            if (ok && networks.isEmpty() && value.node() instanceof SequenceNode) {
                reader.error(value, "peer group \"" + name + "\" needs at least one network");
            } else if (ok && !networks.isEmpty()) {
                out.add(new PeerGroup(name, networks));
            }
        }
        return out;
    }

    private Optional<Cidr> cidr(Located at, String text) {
        try {
            return Optional.of(Cidr.parse(text));
        } catch (IllegalArgumentException e) {
            String suffix = " in \"" + text + "\"";
            String m = e.getMessage();
            reader.error(at, m.endsWith(suffix)
                    ? "invalid CIDR \"" + text + "\": " + m.substring(0, m.length() - suffix.length())
                    : m);
            return Optional.empty();
        }
    }
}
