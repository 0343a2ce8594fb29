package dev.ssexporter.core.config;

import dev.ssexporter.core.config.NodeReader.Fields;
import dev.ssexporter.core.config.NodeReader.Key;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.signals.TcpSignal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Maps {@code logic.metrics} to {@link MetricsConfig}. A group (histograms, gauges, counters)
 * that is absent, or present without {@code active}, is on; a sub-metric that is absent, empty
 * or without {@code active} is on; a sub-metric is exported only when it and its group are on.
 * The opt-in signals ({@link TcpSignal}) are sub-metrics of {@code gauges} or {@code counters}
 * that are off when absent (present, they are on unless {@code active: false}); their keys have
 * a camelCase and a snake_case spelling.
 */
final class MetricsMapper {
    private static final Key ACTIVE = Key.of("active");
    private static final Pattern INDEX = Pattern.compile("at index (\\d+)");

    private final NodeReader reader;

    private MetricsMapper(NodeReader reader) {
        this.reader = reader;
    }

    static MetricsConfig map(Optional<Located> metrics, NodeReader reader) {
        return new MetricsMapper(reader).map(metrics);
    }

    private MetricsConfig map(Optional<Located> metrics) {
        Fields m = reader.fields(metrics, Key.of("histograms"), Key.of("gauges"), Key.of("counters"));

        Fields histograms = group(m.get("histograms"), ACTIVE, Key.of("rtt", "latency"));
        boolean histogramsOn = active(histograms);
        Fields rtt = group(histograms.get("rtt"), ACTIVE, Key.of("bucketBounds", "bucket_bounds"), Key.of("native"));
        BucketBounds bounds = rtt.get("bucketBounds").flatMap(this::bounds).orElse(BucketBounds.defaultRttMillis());
        boolean rttNative = rtt.get("native").flatMap(reader::bool).orElse(true);

        Fields gauges = group(m.get("gauges"), withSignals(false, ACTIVE, Key.of("rtt"), Key.of("cwnd"),
                Key.of("deliveryRate")));
        boolean gaugesOn = active(gauges);
        Fields counters = group(m.get("counters"), withSignals(true, ACTIVE, Key.of("dataSegsIn"),
                Key.of("dataSegsOut")));
        boolean countersOn = active(counters);
        Set<TcpSignal> signals = EnumSet.noneOf(TcpSignal.class);
        for (TcpSignal s : TcpSignal.values()) {
            boolean groupOn = s.counter() ? countersOn : gaugesOn;
            if (groupOn && optIn(s.counter() ? counters : gauges, s.key())) {
                signals.add(s);
            }
        }

        return new MetricsConfig(
                histogramsOn && active(rtt),
                bounds,
                gaugesOn && subMetric(gauges, "rtt"),
                gaugesOn && subMetric(gauges, "cwnd"),
                gaugesOn && subMetric(gauges, "deliveryRate"),
                countersOn && subMetric(counters, "dataSegsIn"),
                countersOn && subMetric(counters, "dataSegsOut"),
                signals,
                rttNative);
    }

    /** {@code keys} followed by the keys of the opt-in counters or gauges. */
    private static Key[] withSignals(boolean counters, Key... keys) {
        List<Key> all = new ArrayList<>(List.of(keys));
        for (TcpSignal s : TcpSignal.values()) {
            if (s.counter() == counters) {
                all.add(s.key().equals(s.snakeKey()) ? Key.of(s.key()) : Key.of(s.key(), s.snakeKey()));
            }
        }
        return all.toArray(Key[]::new);
    }

    /** An opt-in sub-metric: off when absent, else on unless it says {@code active: false}. */
    private boolean optIn(Fields group, String name) {
        Optional<Located> at = group.get(name);
        return at.isPresent() && active(group(at, ACTIVE));
    }

    /** A group or sub-metric mapping; a bare boolean gets a hint on how to write it. */
    private Fields group(Optional<Located> at, Key... keys) {
        if (at.isPresent() && at.get().node() instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            reader.error(at.get(), "expected a mapping such as {active: " + s.getValue() + "}, got "
                    + NodeReader.describe(s));
            return Fields.NONE;
        }
        return reader.fields(at, keys);
    }

    private boolean subMetric(Fields group, String name) {
        return active(group(group.get(name), ACTIVE));
    }

    private boolean active(Fields fields) {
        return fields.get("active").flatMap(reader::bool).orElse(true);
    }

    private Optional<BucketBounds> bounds(Located at) {
        List<Located> elements = reader.list(at, "a list of numbers");
        if (!(at.node() instanceof SequenceNode)) {
            return Optional.empty();
        }
        List<Double> values = new ArrayList<>();
        boolean ok = true;
        for (Located e : elements) {
            Optional<Double> v = reader.number(e);
            ok &= v.isPresent();
            v.ifPresent(values::add);
        }
        if (!ok) {
            return Optional.empty();
        }
        try {
            return Optional.of(BucketBounds.of(values));
        } catch (IllegalArgumentException e) {
            Matcher index = INDEX.matcher(e.getMessage());
            Located where = index.find() && Integer.parseInt(index.group(1)) < elements.size()
                    ? elements.get(Integer.parseInt(index.group(1)))
                    : at;
            reader.error(where, e.getMessage());
            return Optional.empty();
        }
    }
}
