package dev.ssexporter.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed, located access to a composed YAML tree. Every accessor that finds a problem records a
 * {@link ConfigError} and returns an empty result, so one pass reports every error in the file.
 * A key whose value is null ({@code key:} or {@code key: ~}) reads as absent. Public for the
 * mappers of other config files ({@link YamlFile}); the exporter's own mappers live here.
 */
public final class NodeReader {
    private static final int MAX_SHOWN = 40;

    private final String source;
    private final List<ConfigError> errors = new ArrayList<>();

    NodeReader(String source) {
        this.source = source;
    }

    /** A key valid in some mapping, with its accepted spellings; the first is the canonical one. */
    public record Key(List<String> spellings) {
        public static Key of(String name, String... alternates) {
            List<String> all = new ArrayList<>();
            all.add(name);
            all.addAll(List.of(alternates));
            return new Key(List.copyOf(all));
        }

        public String name() {
            return spellings.getFirst();
        }
    }

    /** The present, non-null values of a mapping, by canonical key name. */
    public record Fields(Map<String, Located> values) {
        static final Fields NONE = new Fields(Map.of());

        public Optional<Located> get(String name) {
            return Optional.ofNullable(values.get(name));
        }
    }

    /** The errors so far, in file order. */
    List<ConfigError> errors() {
        return errors.stream()
                .sorted(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column))
                .toList();
    }

    public void error(Located at, String message) {
        error(at.path(), at.node(), message);
    }

    void error(String path, Node at, String message) {
        Optional<Mark> mark = at == null ? Optional.empty() : at.getStartMark();
        errors.add(new ConfigError(source, path, mark.map(m -> m.getLine() + 1).orElse(0),
                mark.map(m -> m.getColumn() + 1).orElse(0), message));
    }

    /** The fields of an optional mapping; absent means no fields. */
    public Fields fields(Optional<Located> at, Key... keys) {
        return at.map(a -> fields(a, keys)).orElse(Fields.NONE);
    }

    /**
     * Reads a mapping whose keys must be among {@code keys}. Reports unknown keys (with a
     * suggestion), repeated keys, and two spellings of one key.
     */
    public Fields fields(Located at, Key... keys) {
        if (isNull(at.node())) {
            return Fields.NONE;
        }
        if (!(at.node() instanceof MappingNode mapping)) {
            error(at, "expected a mapping, got " + describe(at.node()));
            return Fields.NONE;
        }
        List<String> spellings = new ArrayList<>();
        Map<String, Key> bySpelling = new HashMap<>();
        for (Key k : keys) {
            for (String s : k.spellings()) {
                spellings.add(s);
                bySpelling.put(s, k);
            }
        }
        Map<String, Located> values = new LinkedHashMap<>();
        Map<String, ScalarNode> seen = new HashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                error(at.path(), t.getKeyNode(), "keys must be plain names, got " + describe(t.getKeyNode()));
                continue;
            }
            String text = keyNode.getValue();
            Located value = at.child(text, t.getValueNode());
            Key key = bySpelling.get(text);
            if (key == null) {
                error(value.path(), keyNode, KeySuggestions.unknownKey(text, spellings));
                continue;
            }
            ScalarNode first = seen.putIfAbsent(key.name(), keyNode);
            if (first != null) {
                error(value.path(), keyNode, first.getValue().equals(text)
                        ? "duplicate key; first given at line " + line(first)
                        : "both " + first.getValue() + " and " + text + " given; use one");
                continue;
            }
            if (!isNull(value.node())) {
                values.put(key.name(), value);
            }
        }
        return new Fields(Map.copyOf(values));
    }

    /**
     * A mapping whose keys are data (user names, header names), in file order; null reads as
     * empty. Keys must be plain scalars; YAML already refuses a key given twice.
     */
    public Map<String, Located> entries(Located at) {
        if (isNull(at.node())) {
            return Map.of();
        }
        if (!(at.node() instanceof MappingNode mapping)) {
            error(at, "expected a mapping, got " + describe(at.node()));
            return Map.of();
        }
        Map<String, Located> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode keyNode) {
                out.put(keyNode.getValue(), at.child(keyNode.getValue(), t.getValueNode()));
            } else {
                error(at.path(), t.getKeyNode(), "keys must be plain names, got " + describe(t.getKeyNode()));
            }
        }
        return out;
    }

    /** The elements of a sequence; null reads as empty. {@code expected} names the whole, e.g. "a list of integers". */
    public List<Located> list(Located at, String expected) {
        if (isNull(at.node())) {
            return List.of();
        }
        if (!(at.node() instanceof SequenceNode seq)) {
            error(at, "expected " + expected + ", got " + describe(at.node()));
            return List.of();
        }
        List<Located> out = new ArrayList<>(seq.getValue().size());
        for (int i = 0; i < seq.getValue().size(); i++) {
            out.add(at.element(i, seq.getValue().get(i)));
        }
        return out;
    }

    public Optional<Boolean> bool(Located at) {
        if (hasTag(at.node(), Tag.BOOL)) {
            return Optional.of(((ScalarNode) at.node()).getValue().toLowerCase(Locale.ROOT).equals("true"));
        }
        error(at, "expected a boolean (true or false), got " + describe(at.node()));
        return Optional.empty();
    }

    public Optional<String> string(Located at) {
        if (hasTag(at.node(), Tag.STR)) {
            return Optional.of(((ScalarNode) at.node()).getValue());
        }
        error(at, "expected a string, got " + describe(at.node()));
        return Optional.empty();
    }

    /** An integer in YAML 1.2 core notation: decimal, {@code 0x} hex or {@code 0o} octal. */
    public Optional<Long> integer(Located at) {
        if (!hasTag(at.node(), Tag.INT)) {
            error(at, "expected an integer, got " + describe(at.node()));
            return Optional.empty();
        }
        String text = ((ScalarNode) at.node()).getValue();
        try {
            return Optional.of(parseInteger(text));
        } catch (NumberFormatException e) {
            error(at, "integer " + shown(text) + " is out of range");
            return Optional.empty();
        }
    }

    /** An integer or a float, including {@code .inf} and {@code .nan}. */
    Optional<Double> number(Located at) {
        if (hasTag(at.node(), Tag.INT)) {
            return integer(at).map(Long::doubleValue);
        }
        if (!hasTag(at.node(), Tag.FLOAT)) {
            error(at, "expected a number, got " + describe(at.node()));
            return Optional.empty();
        }
        String text = ((ScalarNode) at.node()).getValue();
        String lower = text.toLowerCase(Locale.ROOT);
        try {
            return Optional.of(switch (lower) {
                case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
                case "-.inf" -> Double.NEGATIVE_INFINITY;
                case ".nan" -> Double.NaN;
                default -> Double.parseDouble(text);
            });
        } catch (NumberFormatException e) {
            error(at, "invalid number " + shown(text));
            return Optional.empty();
        }
    }

    private static long parseInteger(String text) {
        String t = text;
        boolean negative = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            negative = t.startsWith("-");
            t = t.substring(1);
        }
        int radix = 10;
        if (t.startsWith("0x")) {
            radix = 16;
            t = t.substring(2);
        } else if (t.startsWith("0o")) {
            radix = 8;
            t = t.substring(2);
        }
        return Long.parseLong(negative ? "-" + t : t, radix);
    }

    static boolean isNull(Node node) {
        return hasTag(node, Tag.NULL);
    }

    static boolean hasTag(Node node, Tag tag) {
        return node instanceof ScalarNode && node.getTag().equals(tag);
    }

    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** What a node is, for "expected X, got Y" messages. */
    static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s when s.getTag().equals(Tag.STR) -> "the string " + shown(s.getValue());
            case ScalarNode s when s.getTag().equals(Tag.INT) -> "the integer " + s.getValue();
            case ScalarNode s when s.getTag().equals(Tag.FLOAT) -> "the number " + s.getValue();
            case ScalarNode s when s.getTag().equals(Tag.BOOL) -> "the boolean " + s.getValue();
            case ScalarNode s when s.getTag().equals(Tag.NULL) -> "null";
            default -> "a value tagged " + node.getTag().getValue();
        };
    }

    /** {@code text} in double quotes, shortened when long. */
    static String shown(String text) {
        String t = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
        return "\"" + t + "\"";
    }
}
