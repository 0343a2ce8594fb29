package dev.ssexporter.core.config;

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
 * Strict reading of a YAML config file, shared by the exporter's config ({@link ConfigLoader})
 * and other files in the same style, such as the web config: UTF-8, at most
 * {@value #MAX_BYTES} bytes, one document, YAML 1.2 core schema, no duplicate keys, nesting and
 * aliases limited, and every problem reported as a {@link ConfigError} with its line and column.
 *
 * <pre>{@code
 * WebConfig web = YamlFile.load(path, (root, reader) -> {
 *     Fields top = reader.fields(root, Key.of("tls_server_config"), Key.of("basic_auth_users"));
 *     ...
 * });
 * }</pre>
 */
public final class YamlFile {
    /** The largest file accepted, 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;
    /** The most aliases ({@code *name}) to lists or mappings in one file. */
    static final int MAX_ALIASES = 50;

    private YamlFile() {}

    /**
     * Turns the composed document into a value; reports problems through the reader (and returns
     * anything, such as defaults, when it found some: the value is then dropped).
     */
    @FunctionalInterface
    public interface Mapper<T> {
        /** @param root the document's top node, empty for an empty file */
        T map(Optional<Located> root, NodeReader reader);
    }

    /**
     * Reads {@code file} and maps it.
     *
     * @throws ConfigException listing every problem, including a file that cannot be read
     */
    public static <T> T load(Path file, Mapper<T> mapper) throws ConfigException {
        return parse(read(file), file.toString(), mapper);
    }

    /**
     * Maps YAML text; {@code sourceName} labels the errors (usually the file name).
     *
     * @throws ConfigException listing every problem
     */
    public static <T> T parse(String yaml, String sourceName, Mapper<T> mapper) throws ConfigException {
        checkSize(yaml, sourceName);
        NodeReader reader = new NodeReader(sourceName);
        Optional<Node> root = compose(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml, sourceName);
        T value = mapper.map(root.map(n -> new Located("", n)), reader);
        List<ConfigError> errors = reader.errors();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return value;
    }

    /** The file's text: UTF-8, at most {@link #MAX_BYTES}. */
    static String read(Path file) throws ConfigException {
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
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fileError(source, "the file is not valid UTF-8");
        }
    }

    static void checkSize(String yaml, String sourceName) throws ConfigException {
        long size = utf8Length(yaml);
        if (size > MAX_BYTES) {
            throw fileError(sourceName, tooLarge(size));
        }
    }

    /** The single document's node tree, or empty for an empty stream. */
    static Optional<Node> compose(String yaml, String sourceName) throws ConfigException {
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
