package dev.ssexporter.core.config;

import dev.ssexporter.core.config.NodeReader.Fields;
import dev.ssexporter.core.config.NodeReader.Key;
import dev.ssexporter.core.folding.LabelFolding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

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
    public static final int MAX_BYTES = 1 << 20;
    /** The most aliases ({@code *name}) to lists or mappings in one file. */
    static final int MAX_ALIASES = 50;

    private ConfigLoader() {
    }

    /**
     * Reads and maps {@code file}, UTF-8. An empty file gives {@link ExporterConfig#defaults()}.
     *
     * @throws ConfigException listing every problem, including a file that cannot be read
     */
    public static ExporterConfig load(Path file) throws ConfigException {
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw fileError(source, tooLarge(size));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fileError(source, "no such file");
        } catch (AccessDeniedException e) {
            throw fileError(source, "permission denied");
        } catch (IOException e) {
            throw fileError(source, "cannot read the file: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fileError(source, "the file is not valid UTF-8");
        }
        return parse(text, source);
    }

    /**
     * Maps YAML text; {@code sourceName} labels the errors (usually the file name). Empty text,
     * or a lone {@code ---}, gives {@link ExporterConfig#defaults()}.
     *
     * @throws ConfigException listing every problem
     */
    public static ExporterConfig parse(String yaml, String sourceName) throws ConfigException {
        long size = utf8Length(yaml);
        if (size > MAX_BYTES) {
            throw fileError(sourceName, tooLarge(size));
        }
        NodeReader reader = new NodeReader(sourceName);
        Optional<Node> root = compose(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml, sourceName);

        Fields top = reader.fields(root.map(n -> new Located("", n)), Key.of("logic"));
        Fields logic = reader.fields(top.get("logic"), Key.of("metrics"), Key.of("compression"), Key.of("selection"),
                Key.of("limits"), Key.of("aggregation"));
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
        AggregationConfig aggregation = AggregationMapper.map(logic.get("aggregation"), reader);

        List<ConfigError> errors = reader.errors();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new ExporterConfig(metrics, folding, selection, limits, aggregation);
    }

    private static Optional<Node> compose(String yaml, String sourceName) throws ConfigException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(sourceName)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setAllowNonScalarKeys(true) // reported by NodeReader, with a path
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_BYTES)
                .build();
        GuardedParser parser = new GuardedParser(new ParserImpl(settings, new StreamReader(settings, yaml)),
                MAX_ALIASES);
        try {
            return new Composer(settings, parser).getSingleNode();
        } catch (GuardedParser.LimitExceeded e) {
            throw syntaxError(sourceName, e.mark(), e.getMessage());
        } catch (MarkedYamlEngineException e) {
            String context = e.getContext() == null ? "" : " (" + e.getContext()
                    + e.getContextMark().map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                    .orElse("") + ")";
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            throw syntaxError(sourceName, mark, "YAML syntax error: " + e.getProblem() + context);
        } catch (YamlEngineException e) {
            throw syntaxError(sourceName, parser.lastMark(), e.getMessage());
        }
    }

    private static ConfigException syntaxError(String source, Optional<Mark> mark, String message) {
        return new ConfigException(List.of(new ConfigError(source, "", mark.map(m -> m.getLine() + 1).orElse(0),
                mark.map(m -> m.getColumn() + 1).orElse(0), message)));
    }

    private static ConfigException fileError(String source, String message) {
        return new ConfigException(List.of(new ConfigError(source, "", 0, 0, message)));
    }

    private static String tooLarge(long size) {
        return "the file is " + size + " bytes; the limit is " + MAX_BYTES + " bytes (1 MiB)";
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }
}
