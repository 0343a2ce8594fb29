package dev.ssexporter.core.config;

import dev.ssexporter.core.config.NodeReader.Fields;
import dev.ssexporter.core.config.NodeReader.Key;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.selection.KernelFilters;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a config file into an {@link ExporterConfig}, or fails with every problem in it.
 *
 * <pre>{@code
 * ExporterConfig config = ConfigLoader.load(Path.of("/etc/ss-exporter/config.yml"));
 * }</pre>
 *
 * <p>The YAML is composed to a node tree (YAML 1.2 core schema) and mapped strictly: unknown keys,
 * wrong types and invalid values are all reported as {@link ConfigError}s with their key path,
 * line and column. Files over {@value #MAX_BYTES} bytes, nesting deeper than
 * {@value GuardedParser#MAX_DEPTH} levels and more than {@value #MAX_ALIASES} aliases to
 * collections are refused.
 */
public final class ConfigLoader {
    /** The largest config accepted, 1 MiB. */
    public static final int MAX_BYTES = YamlFile.MAX_BYTES;
    /** The most aliases ({@code *name}) to lists or mappings in one file. */
    static final int MAX_ALIASES = YamlFile.MAX_ALIASES;

    private ConfigLoader() {
    }

    /**
     * Reads and maps {@code file}, UTF-8. An empty file gives {@link ExporterConfig#defaults()}.
     *
     * @throws ConfigException listing every problem, including a file that cannot be read
     */
    public static ExporterConfig load(Path file) throws ConfigException {
        return parse(YamlFile.read(file), file.toString());
    }

    /**
     * Maps YAML text; {@code sourceName} labels the errors (usually the file name). Empty text,
     * or a lone {@code ---}, gives {@link ExporterConfig#defaults()}.
     *
     * @throws ConfigException listing every problem
     */
    public static ExporterConfig parse(String yaml, String sourceName) throws ConfigException {
        YamlFile.checkSize(yaml, sourceName);
        NodeReader reader = new NodeReader(sourceName);
        Optional<Node> root = YamlFile.compose(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml, sourceName);

        Fields top = reader.fields(root.map(n -> new Located("", n)), Key.of("logic"));
        Fields logic = reader.fields(top.get("logic"), Key.of("metrics"), Key.of("compression"), Key.of("selection"),
                Key.of("limits"), Key.of("aggregation"), Key.of("namespaces", "networkNamespaces", "network_namespaces"));
        MetricsConfig metrics = MetricsMapper.map(logic.get("metrics"), reader);
        Fields compression = reader.fields(logic.get("compression"), Key.of("labelFolding"));
        LabelFolding folding = compression.get("labelFolding").flatMap(at -> reader.string(at).flatMap(s -> {
            try {
                return Optional.of(LabelFolding.parse(s));
            } catch (IllegalArgumentException e) {
                reader.error(at, e.getMessage());
                return Optional.empty();
            }
        })).orElse(LabelFolding.RAW_ENDPOINT);
        SelectionConfig selection = SelectionMapper.map(logic.get("selection"), reader);
        LimitsConfig limits = LimitsMapper.map(logic.get("limits"), reader);
        AggregationConfig aggregation = AggregationMapper.map(logic.get("aggregation"), reader,
                KernelFilters.filtersInKernel(selection));
        NamespacesConfig namespaces = NamespacesMapper.map(logic.get("namespaces"), reader);

        List<ConfigError> errors = reader.errors();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new ExporterConfig(metrics, folding, selection, limits, aggregation, namespaces);
    }
}
