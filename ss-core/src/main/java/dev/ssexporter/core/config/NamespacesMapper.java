package dev.ssexporter.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Maps {@code logic.namespaces} to {@link NamespacesConfig}: absent or {@code host} is the
 * exporter's own namespace, {@code all} every namespace found, and a list names namespace files
 * (absolute paths) and optionally {@code host}.
 */
final class NamespacesMapper {
    static final String HOST = "host";
    static final String ALL = "all";
    private static final String EXPECTED = "'host', 'all' or a list of network namespace files"
            + " such as [/var/run/netns/blue, /proc/1234/ns/net]";

    private final NodeReader reader;

    private NamespacesMapper(NodeReader reader) {
        this.reader = reader;
    }

    static NamespacesConfig map(Optional<Located> namespaces, NodeReader reader) {
        return namespaces.flatMap(new NamespacesMapper(reader)::map).orElse(NamespacesConfig.host());
    }

    private Optional<NamespacesConfig> map(Located at) {
        if (at.node() instanceof ScalarNode s) {
            if (!s.getTag().equals(Tag.STR)) {
                reader.error(at, "expected " + EXPECTED + ", got " + NodeReader.describe(s));
                return Optional.empty();
            }
            return switch (s.getValue()) {
                case HOST -> Optional.of(NamespacesConfig.host());
                case ALL -> Optional.of(new NamespacesConfig.All());
                default -> {
                    reader.error(at, "expected " + EXPECTED + ", got " + NodeReader.shown(s.getValue())
                            + (s.getValue().startsWith("/") ? " (a single path is written as a list: ["
                            + s.getValue() + "])" : ""));
                    yield Optional.empty();
                }
            };
        }
        if (!(at.node() instanceof SequenceNode)) {
            reader.error(at, "expected " + EXPECTED + ", got " + NodeReader.describe(at.node()));
            return Optional.empty();
        }
        List<Located> elements = reader.list(at, "a list of network namespace files");
        if (elements.isEmpty()) {
            reader.error(at, "an empty list reads no namespace; leave the key out or write 'host'");
            return Optional.empty();
        }
        boolean host = false;
        boolean ok = true;
        List<Path> paths = new ArrayList<>();
        Map<String, Located> seen = new HashMap<>();
        for (Located e : elements) {
            Optional<String> text = reader.string(e);
            if (text.isEmpty()) {
                ok = false;
                continue;
            }
            String t = text.get();
            Located first = seen.putIfAbsent(t, e);
            if (first != null) {
                reader.error(e, NodeReader.shown(t) + " is listed twice; first at line " + NodeReader.line(first.node()));
                ok = false;
            } else if (t.equals(HOST)) {
                host = true;
            } else if (t.equals(ALL)) {
                reader.error(e, "'all' cannot be part of a list; write namespaces: all");
                ok = false;
            } else {
                Optional<Path> p = path(e, t);
                ok &= p.isPresent();
                p.ifPresent(paths::add);
            }
        }
        if (!ok) {
            return Optional.empty();
        }
        try {
            return Optional.of(new NamespacesConfig.Listed(host, paths));
        } catch (IllegalArgumentException e) {
            reader.error(at, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Path> path(Located at, String text) {
        if (!text.startsWith("/")) {
            reader.error(at, "expected an absolute path of a network namespace file (/var/run/netns/NAME or"
                    + " /proc/PID/ns/net) or 'host', got " + NodeReader.shown(text));
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text).normalize());
        } catch (InvalidPathException e) {
            reader.error(at, "invalid path " + NodeReader.shown(text) + ": " + e.getReason());
            return Optional.empty();
        }
    }
}
