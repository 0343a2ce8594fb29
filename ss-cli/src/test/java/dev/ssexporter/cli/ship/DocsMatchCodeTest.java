package dev.ssexporter.cli.ship;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.ConfigError;
import dev.ssexporter.core.config.ConfigException;
import dev.ssexporter.core.config.ConfigLoader;
import dev.ssexporter.core.signals.TcpSignal;
import dev.ssexporter.exporter.ConfigReloader;
import dev.ssexporter.exporter.SocketStatsCollector;
import dev.ssexporter.netlink.SockDiagReader;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference docs cover what the code accepts and exports, found from the code itself:
 *
 * <ul>
 *   <li>every config key the loader accepts, discovered by asking {@link ConfigLoader} about an
 *       unknown key at each level ("expected one of: ...") and about pairs of keys given together
 *       ("both rtt and latency given"), is in {@code docs/configuration.md}: each key path in its
 *       main spelling literally, each second spelling in the alternative spellings table;
 *   <li>every family a live {@link SocketStatsCollector} and its {@link ConfigReloader} expose is
 *       in {@code docs/metrics.md}'s table with its type, and the table lists nothing they do not
 *       expose.
 * </ul>
 */
class DocsMatchCodeTest {
    /** A key no schema will ever have, and far from every real key, so the loader lists them all. */
    private static final String PROBE = "qqzzxqqzzx";
    private static final Pattern EXPECTED_ONE_OF = Pattern.compile("unknown key; expected one of: (.+)");
    private static final Pattern BOTH_GIVEN = Pattern.compile("both (\\S+) and (\\S+) given; use one");

    /** Key paths in their main spelling ({@code logic.selection.portRanges[].lower}). */
    private static final Set<String> MAIN_PATHS = new TreeSet<>();
    /** Second spelling of a key, to the main one, per parent path: "logic.metrics.histograms.latency" -> "rtt". */
    private static final Map<String, String> ALTERNATIVES = new LinkedHashMap<>();
    /** The keys (main spellings) of each mapping found, by its path; list elements end in "[]". */
    private static final Map<String, List<String>> MAPPINGS = new LinkedHashMap<>();

    @BeforeAll
    static void discoverKeys() {
        walk(List.of());
        assertThat(MAIN_PATHS).as("keys discovered from the loader").contains("logic", "logic.metrics",
                "logic.compression.labelFolding", "logic.selection.portRanges[].lower");
    }

    /**
     * A key path is documented when docs/configuration.md names it in backticks; a mapping also when
     * one of its keys is documented; a key of a list element ({@code peering.portRanges[].lower})
     * also when the list is named and another list with the same element keys documents that key
     * ({@code selection.portRanges[].lower}), as one element schema is described once.
     */
    @Test
    void everyConfigKeyIsInTheConfigurationReference() {
        String doc = Ship.read("docs/configuration.md");
        List<String> missing = MAIN_PATHS.stream().filter(p -> !documented(doc, p)).toList();
        assertThat(missing).as("key paths the config loader accepts that docs/configuration.md does not "
                + "name (as `path` in backticks); all accepted: %s", MAIN_PATHS).isEmpty();
    }

    private static boolean documented(String doc, String path) {
        if (doc.contains("`" + path + "`")) {
            return true;
        }
        for (String mapping : List.of(path, path + "[]")) {
            List<String> keys = MAPPINGS.get(mapping);
            if (keys != null && keys.stream().anyMatch(k -> documented(doc, mapping + "." + k))) {
                return true;
            }
        }
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot);
        if (parent.endsWith("[]") && doc.contains("`" + parent.substring(0, parent.length() - 2) + "`")) {
            String key = path.substring(dot + 1);
            List<String> keys = MAPPINGS.get(parent);
            return MAPPINGS.entrySet().stream().anyMatch(e -> !e.getKey().equals(parent)
                    && e.getKey().endsWith("[]") && e.getValue().equals(keys)
                    && doc.contains("`" + e.getKey() + "." + key + "`"));
        }
        return false;
    }

    @Test
    void everySecondSpellingIsInTheAlternativeSpellingsTable() {
        String doc = Ship.read("docs/configuration.md");
        int table = doc.indexOf("### Alternative spellings");
        assertThat(table).as("docs/configuration.md has a section '### Alternative spellings'").isNotNegative();
        int end = doc.indexOf("\n## ", table);
        List<String> rows = doc.substring(table, end < 0 ? doc.length() : end).lines()
                .filter(l -> l.startsWith("|")).toList();
        assertThat(ALTERNATIVES).as("second spellings found in the loader").isNotEmpty();
        List<String> missing = new ArrayList<>();
        ALTERNATIVES.forEach((altPath, main) -> {
            String alt = altPath.substring(altPath.lastIndexOf('.') + 1);
            boolean listed = rows.stream().anyMatch(r -> r.matches(".*`[^`]*\\b" + Pattern.quote(main) + "`.*")
                    && r.matches(".*`[^`]*\\b" + Pattern.quote(alt) + "`.*"));
            if (!listed) {
                missing.add(altPath + " (for " + main + ")");
            }
        });
        assertThat(missing).as("second spellings the loader accepts without a row naming both spellings in "
                + "docs/configuration.md's alternative spellings table").isEmpty();
    }

    @Test
    void everyExportedFamilyIsInTheMetricReferenceAndViceVersa() throws Exception {
        SockDiagReader.Availability availability = SockDiagReader.probe();
        assertThat(availability.available()).as("NETLINK_SOCK_DIAG unavailable: %s",
                availability.unavailabilityCause()).isTrue();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback); Socket client = new Socket()) {
            client.connect(new InetSocketAddress(loopback, server.getLocalPort()));
            try (Socket accepted = server.accept()) {
                client.getOutputStream().write(1);
                accepted.getInputStream().read();
                // Every family on (the defaults, every opt-in signal, the services, and the states and
                // listeners, which a kernel-filtered selection has off unless asked for), only this
                // connection selected: a small text with a sample in every per-flow and service family.
                // namespaces: all adds the per-namespace self metrics (it needs CAP_SYS_ADMIN, which the
                // tests run with as root).
                StringBuilder gauges = new StringBuilder();
                StringBuilder counters = new StringBuilder();
                for (TcpSignal s : TcpSignal.values()) {
                    (s.counter() ? counters : gauges).append(s.key()).append(": {}, ");
                }
                var config = ConfigLoader.parse("logic: {namespaces: all, metrics: {gauges: {" + gauges + "}, counters: {"
                        + counters
                        + "}}, selection: {portRanges: [{lower: " + server.getLocalPort()
                        + "}]}, aggregation: {services: {active: true}, socketStates: {active: true},"
                        + " listeners: {active: true}}}", "docs-test");
                PrometheusRegistry registry = new PrometheusRegistry();
                String text;
                try (var collector = SocketStatsCollector.builder().config(config).register(registry)) {
                    // What the serve command registers next to the collector: the reload metrics.
                    ConfigReloader.builder().collector(collector).register(registry);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    PrometheusTextFormatWriter.create().write(out, registry.scrape());
                    text = out.toString(StandardCharsets.UTF_8);
                }
                assertThat(text).contains("ss_exporter_scrape_success 1.0");
                Map<String, String> exposed = new LinkedHashMap<>();
                Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(text);
                while (m.find()) {
                    exposed.put(m.group(1), m.group(2));
                }
                assertThat(exposed).as("families in%n%s", text).containsKeys("tcp_rtt", "tcp_rtt_hist_ms");

                Map<String, String> documented = MetricsDoc.families();
                exposed.forEach((name, type) -> {
                    assertThat(documented).as("docs/metrics.md's table lists %s, which the collector exposes", name)
                            .containsKey(name);
                    assertThat(documented.get(name)).as("type of %s in docs/metrics.md", name).startsWith(type);
                });
                assertThat(exposed.keySet()).as("families docs/metrics.md lists that the collector does not expose")
                        .containsAll(documented.keySet());
            }
        }
    }

    // ---- key discovery ----

    /** Records the keys under the mapping at {@code path} and walks into each. */
    private static void walk(List<String> path) {
        List<String> keys = keysAt(path);
        Set<String> alternatives = new LinkedHashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                if (sameKey(path, keys.get(i), keys.get(j))) {
                    alternatives.add(keys.get(j));
                    ALTERNATIVES.put(render(append(path, keys.get(j))), keys.get(i));
                }
            }
        }
        MAPPINGS.put(render(path), keys.stream().filter(k -> !alternatives.contains(k)).toList());
        for (String key : keys) {
            if (alternatives.contains(key)) {
                continue;
            }
            List<String> child = append(path, key);
            MAIN_PATHS.add(render(child));
            if (isMapping(child)) {
                walk(child);
            }
            List<String> element = append(child, "[]");
            if (isMapping(element)) {
                walk(element);
            }
        }
    }

    /** The keys the loader lists as valid in the mapping at {@code path}. */
    private static List<String> keysAt(List<String> path) {
        Optional<String> listed = errors(yaml(append(path, PROBE), "1")).stream()
                .filter(e -> e.path().equals(render(append(path, PROBE)).replace("[]", "[0]")))
                .map(e -> EXPECTED_ONE_OF.matcher(e.message()))
                .filter(Matcher::matches)
                .map(mm -> mm.group(1))
                .findFirst();
        return listed.map(s -> Arrays.stream(s.split(",\\s*")).toList())
                .orElseThrow(() -> new AssertionError("the loader lists no valid keys at " + render(path)));
    }

    /** Whether the loader reads {@code path} as a mapping: an unknown key inside it is reported as one. */
    private static boolean isMapping(List<String> path) {
        String probePath = render(append(path, PROBE)).replace("[]", "[0]");
        return errors(yaml(append(path, PROBE), "1")).stream()
                .anyMatch(e -> e.path().equals(probePath) && EXPECTED_ONE_OF.matcher(e.message()).matches());
    }

    /** Whether {@code a} and {@code b} under {@code path} are two spellings of one key. */
    private static boolean sameKey(List<String> path, String a, String b) {
        String text = yaml(path, "{" + a + ": null, " + b + ": null}");
        return errors(text).stream().map(e -> BOTH_GIVEN.matcher(e.message()))
                .anyMatch(mm -> mm.matches() && mm.group(1).equals(a) && mm.group(2).equals(b));
    }

    private static List<ConfigError> errors(String yaml) {
        try {
            ConfigLoader.parse(yaml, "probe");
            return List.of();
        } catch (ConfigException e) {
            return e.errors();
        }
    }

    /** Flow-style YAML putting {@code value} at {@code path}; a "[]" segment is a one-element list. */
    private static String yaml(List<String> path, String value) {
        String s = value;
        for (int i = path.size() - 1; i >= 0; i--) {
            s = path.get(i).equals("[]") ? "[" + s + "]" : "{" + path.get(i) + ": " + s + "}";
        }
        return s;
    }

    private static List<String> append(List<String> path, String key) {
        List<String> l = new ArrayList<>(path);
        l.add(key);
        return l;
    }

    private static String render(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String seg : path) {
            if (seg.equals("[]")) {
                sb.append("[]");
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(seg);
            }
        }
        return sb.toString();
    }
}
