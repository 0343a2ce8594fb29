package dev.ssexporter.core.config;

import dev.ssexporter.core.config.NodeReader.Fields;
import dev.ssexporter.core.config.NodeReader.Key;
import dev.ssexporter.core.selection.Cidr;
import dev.ssexporter.core.selection.PortRange;
import dev.ssexporter.netlink.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;

/**
 * Maps {@code logic.selection} to {@link SelectionConfig}. Every list may be absent, null or
 * {@code []}, which sets no condition. Port ranges may be given under {@code selection} and
 * under {@code selection.peering} (older examples); both lists are merged.
 */
final class SelectionMapper {
    private static final Key PORT_RANGES = Key.of("portRanges", "portranges");

    private final NodeReader reader;

    private SelectionMapper(NodeReader reader) {
        this.reader = reader;
    }

    static SelectionConfig map(Optional<Located> selection, NodeReader reader) {
        return new SelectionMapper(reader).map(selection);
    }

    private SelectionConfig map(Optional<Located> selection) {
        Fields s = reader.fields(selection, Key.of("states"), Key.of("process"), Key.of("peering"), PORT_RANGES);
        Set<TcpState> states = EnumSet.noneOf(TcpState.class);
        states.addAll(strings(s.get("states"), this::state));
        if (states.isEmpty()) {
            states.addAll(TcpState.connected());
        }

        Fields process = reader.fields(s.get("process"), Key.of("pids"), Key.of("cmds"));
        List<Integer> pids = list(process.get("pids"), "a list of integers", this::pid);
        List<String> cmds = strings(process.get("cmds"), at -> notBlank(at, "command name"));

        Fields peering = reader.fields(s.get("peering"), Key.of("addresses"), Key.of("networks"), Key.of("hosts"),
                PORT_RANGES);
        List<InetAddress> addresses = strings(peering.get("addresses"), this::address);
        List<Cidr> include = new ArrayList<>();
        List<Cidr> exclude = new ArrayList<>();
        peering.get("networks").ifPresent(n -> networks(n, include, exclude));
        List<String> hosts = strings(peering.get("hosts"), at -> notBlank(at, "host name"));

        Set<PortRange> ranges = new LinkedHashSet<>();
        ranges.addAll(list(s.get("portRanges"), "a list of port ranges", this::portRange));
        ranges.addAll(list(peering.get("portRanges"), "a list of port ranges", this::portRange));

        return new SelectionConfig(states, new ProcessSelection(Set.copyOf(pids), Set.copyOf(cmds)),
                new PeerSelection(addresses, include, exclude, hosts), List.copyOf(ranges));
    }

    /** The valid elements of an optional list; each invalid one is reported and left out. */
    private <T> List<T> list(Optional<Located> at, String expected, Function<Located, Optional<T>> element) {
        List<T> out = new ArrayList<>();
        at.ifPresent(a -> reader.list(a, expected).forEach(e -> element.apply(e).ifPresent(out::add)));
        return out;
    }

    private <T> List<T> strings(Optional<Located> at, Function<StringAt, Optional<T>> element) {
        return list(at, "a list of strings",
                e -> reader.string(e).flatMap(text -> element.apply(new StringAt(e, text))));
    }

    /** A string element and where it is. */
    private record StringAt(Located at, String text) {
    }

    private Optional<TcpState> state(StringAt s) {
        return parsed(s, TcpState::parse);
    }

    private Optional<InetAddress> address(StringAt s) {
        return parsed(s, Cidr::parseAddress);
    }

    private <T> Optional<T> parsed(StringAt s, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(s.text()));
        } catch (IllegalArgumentException e) {
            reader.error(s.at(), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<String> notBlank(StringAt s, String what) {
        if (s.text().isBlank()) {
            reader.error(s.at(), what + " must not be empty");
            return Optional.empty();
        }
        if (s.text().chars().anyMatch(Character::isWhitespace)) {
            reader.error(s.at(), what + " " + NodeReader.shown(s.text()) + " must not contain spaces");
            return Optional.empty();
        }
        return Optional.of(s.text());
    }

    private Optional<Integer> pid(Located at) {
        return reader.integer(at).flatMap(v -> {
            if (v < 1 || v > Integer.MAX_VALUE) {
                reader.error(at, "pid must be a positive integer, got " + v);
                return Optional.empty();
            }
            return Optional.of(v.intValue());
        });
    }

    /** {@code networks: [...]} or {@code networks: {include: [...], exclude: [...]}}. */
    private void networks(Located at, List<Cidr> include, List<Cidr> exclude) {
        if (at.node() instanceof MappingNode) {
            Fields f = reader.fields(at, Key.of("include"), Key.of("exclude"));
            include.addAll(strings(f.get("include"), this::cidr));
            exclude.addAll(strings(f.get("exclude"), this::cidr));
        } else {
            include.addAll(list(Optional.of(at),
                    "a list of networks, or a mapping with include and exclude lists",
                    e -> reader.string(e).flatMap(text -> cidr(new StringAt(e, text)))));
        }
    }

    private Optional<Cidr> cidr(StringAt s) {
        try {
            return Optional.of(Cidr.parse(s.text()));
        } catch (IllegalArgumentException e) {
            String suffix = " in \"" + s.text() + "\"";
            String m = e.getMessage();
            reader.error(s.at(), m.endsWith(suffix)
                    ? "invalid CIDR \"" + s.text() + "\": " + m.substring(0, m.length() - suffix.length())
                    : m);
            return Optional.empty();
        }
    }

    /** {@code {lower: 80, upper: 443}}; without {@code upper}, the single port {@code lower}. */
    private Optional<PortRange> portRange(Located at) {
        if (!(at.node() instanceof MappingNode)) {
            reader.error(at, "expected a port range such as {lower: 80, upper: 443}, got "
                    + NodeReader.describe(at.node()));
            return Optional.empty();
        }
        Fields f = reader.fields(at, Key.of("lower"), Key.of("upper"));
        Optional<Located> lowerAt = f.get("lower");
        if (lowerAt.isEmpty()) {
            reader.error(at, "a port range needs lower (and upper, unless it is a single port)");
            return Optional.empty();
        }
        Optional<Integer> lower = lowerAt.flatMap(this::port);
        Optional<Located> upperAt = f.get("upper");
        Optional<Integer> upper = upperAt.isPresent() ? upperAt.flatMap(this::port) : lower;
        if (lower.isEmpty() || upper.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PortRange.of(lower.get(), upper.get()));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            Located where = m.startsWith("lower") ? lowerAt.get()
                    : m.startsWith("upper") ? upperAt.orElse(lowerAt.get()) : at;
            reader.error(where, m);
            return Optional.empty();
        }
    }

    private Optional<Integer> port(Located at) {
        return reader.integer(at).flatMap(v -> {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                reader.error(at, "port " + v + " is outside 0..65535");
                return Optional.empty();
            }
            return Optional.of(v.intValue());
        });
    }
}
