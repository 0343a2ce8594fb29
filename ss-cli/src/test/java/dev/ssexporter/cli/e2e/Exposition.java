package dev.ssexporter.cli.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A parsed Prometheus text exposition (format 0.0.4), as the exporter serves it at
 * {@code /metrics}.
 *
 * <p>On a busy host the per-flow families hold a series per socket (100 000 and more), so the
 * parser takes a filter: every sample is parsed and counted per name, but only the samples the
 * filter keeps are stored. The filter only sees samples that carry a {@code flow} label; all
 * other samples (self metrics, histogram) are always kept.
 */
final class Exposition {
    /** The per-flow families of {@code docs/metrics.md}, by their exposed names. */
    static final List<String> FLOW_FAMILIES =
            List.of("tcp_rtt", "tcp_cwnd", "tcp_delivery_rate", "tcp_data_segs_in_total", "tcp_data_segs_out_total");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
        String flow() {
            return labels.get("flow");
        }
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();

    private Exposition() {}

    /** Parses every line, storing all samples. */
    static Exposition parse(String text) {
        return parse(text.lines(), flow -> true);
    }

    /** Parses {@code lines}, storing samples with a {@code flow} label only if {@code keepFlow} accepts it. */
    static Exposition parse(Stream<String> lines, Predicate<String> keepFlow) {
        Exposition e = new Exposition();
        lines.forEach(line -> e.line(line, keepFlow));
        return e;
    }

    private void line(String line, Predicate<String> keepFlow) {
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith("#")) {
            String[] parts = line.split(" ", 4);
            if (parts.length >= 4 && parts[1].equals("TYPE")) {
                types.put(parts[2], parts[3]);
            } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                help.put(parts[2], parts.length == 4 ? parts[3] : "");
            }
            return;
        }
        Sample s = sample(line);
        counts.merge(s.name(), 1, Integer::sum);
        String flow = s.flow();
        if (flow == null || keepFlow.test(flow)) {
            samples.add(s);
        }
    }

    static Sample sample(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                if (line.charAt(eq + 1) != '"') {
                    throw new AssertionError("label value not quoted: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new AssertionError("label " + label + " repeated: " + line);
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).strip().split(" ");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new AssertionError("sample line without a value: " + line);
        }
        return new Sample(name, Collections.unmodifiableMap(labels), number(rest[0]));
    }

    static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** The {@code # TYPE} of each family, in order. */
    Map<String, String> types() {
        return Collections.unmodifiableMap(types);
    }

    /** The {@code # HELP} text of each family, in order. */
    Map<String, String> help() {
        return Collections.unmodifiableMap(help);
    }

    /** Every stored sample. */
    List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    /** The stored samples named {@code name}. */
    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** How many samples named {@code name} the text had, stored or not. */
    int total(String name) {
        return counts.getOrDefault(name, 0);
    }

    /** The value of the single unlabeled (or only) sample {@code name}; fails when absent. */
    double value(String name) {
        List<Sample> s = samples(name);
        if (s.size() != 1) {
            throw new AssertionError("expected one sample " + name + ", found " + s);
        }
        return s.getFirst().value();
    }

    /** The stored samples of a per-flow family by flow label, in label order; fails on a repeated label. */
    Map<String, Double> flows(String name) {
        Map<String, Double> byFlow = new TreeMap<>();
        for (Sample s : samples(name)) {
            Objects.requireNonNull(s.flow(), () -> "sample without flow label: " + s);
            if (byFlow.put(s.flow(), s.value()) != null) {
                throw new AssertionError("flow label repeated in " + name + ": " + s.flow());
            }
        }
        return byFlow;
    }

    /** A summary for failure messages: the families, and the tcp_rtt flows kept. */
    @Override
    public String toString() {
        return "exposition of " + types.size() + " families, " + samples.size() + " samples kept; tcp_rtt flows kept: "
                + samples.stream().filter(s -> s.name().equals("tcp_rtt")).map(Sample::flow).sorted().toList();
    }

    /** The histogram's cumulative buckets, {@code le} (with +Inf) to count, in the order served. */
    LinkedHashMap<Double, Double> buckets(String histogram) {
        LinkedHashMap<Double, Double> b = new LinkedHashMap<>();
        for (Sample s : samples(histogram + "_bucket")) {
            String le = Objects.requireNonNull(s.labels().get("le"), () -> "bucket without le: " + s);
            if (b.put(number(le), s.value()) != null) {
                throw new AssertionError("bucket le=" + le + " repeated");
            }
        }
        return b;
    }
}
