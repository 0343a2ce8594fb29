package dev.ssexporter.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads a command line that only sets {@link ServeCommand}'s options, each once, in the plain
 * forms {@code --name=value}, {@code --name value} and {@code -p value}, without building
 * picocli's command tree.
 *
 * <p>Why: picocli's class files are Java 5 ones, which the JVM's AOT cache cannot hold, so on
 * every start they are loaded, verified with the old verifier and interpreted, and building the
 * command tree from its annotations took about 0.4 s of a 1 s start (docs/performance.md). A
 * DaemonSet restarts the exporter with the same few options every time; those lines are read
 * here. Every other line (help, version, a command, a value starting with {@code -} or naming a
 * command, an {@code @file}, an option given twice, a value its converter rejects) goes to picocli, which
 * parses it or explains what is wrong, as before. The values are converted as picocli would
 * convert them, with the same converters, and {@code PlainServeArgsTest} checks that both
 * readings agree and that this table names every option of {@code serve}.
 */
final class PlainServeArgs {
    /** Every option of {@code serve} but help and version, by each of its names. */
    private static final Map<String, BiConsumer<ServeCommand, String>> OPTIONS = options();
    /**
     * The names of {@code serve}'s commands: picocli does not take one as an option's value
     * ({@code --config dump} and {@code --config=dump} are errors), so such a line is left to it.
     */
    private static final Set<String> COMMANDS = Set.of("dump", "check-config", "help");

    private PlainServeArgs() {}

    private static Map<String, BiConsumer<ServeCommand, String>> options() {
        BiConsumer<ServeCommand, String> port = (s, v) -> s.port = new Converters.Port().convert(v);
        BiConsumer<ServeCommand, String> config = (s, v) -> s.config = Path.of(v);
        return Map.of(
                "-p", port,
                "--port", port,
                "-c", config,
                "--config", config,
                "--listen-address", (s, v) -> s.listenAddress = v,
                "--web.config.file", (s, v) -> s.webConfigFile = Path.of(v),
                "--log-level", (s, v) -> s.logLevel = new Converters.LogLevel().convert(v),
                "--proc-root", (s, v) -> s.procRoot = Path.of(v),
                "--create-config", (s, v) -> s.createConfig = v);
    }

    /** The option names this reads, for the test that compares them with picocli's. */
    static Set<String> names() {
        return OPTIONS.keySet();
    }

    /** The command names it leaves to picocli as values, for the same test. */
    static Set<String> commands() {
        return COMMANDS;
    }

    /**
     * The {@code serve} command {@code args} describe when they are a plain {@code serve} line;
     * empty when picocli must read them.
     */
    static Optional<ServeCommand> parse(String... args) {
        ServeCommand serve = new ServeCommand();
        Set<BiConsumer<ServeCommand, String>> given = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            BiConsumer<ServeCommand, String> option = OPTIONS.get(eq < 0 ? arg : arg.substring(0, eq));
            if (option == null || !given.add(option)) {
                return Optional.empty();
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || COMMANDS.contains(value)) {
                return Optional.empty();
            }
            try {
                option.accept(serve, value);
            } catch (RuntimeException rejected) {
                return Optional.empty();  // picocli reports it, with the usage
            }
        }
        return Optional.of(serve);
    }
}
