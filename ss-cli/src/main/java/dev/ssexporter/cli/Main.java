package dev.ssexporter.cli;

import dev.ssexporter.netlink.SockDiagReader;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ss-exporter} command line: {@link ServeCommand} (no command), {@link DumpCommand}
 * and {@link CheckConfigCommand}, read by picocli, except that a plain {@code serve} line is read
 * by {@link PlainServeArgs}. Exit codes are in {@link Exit}.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar ss-exporter.jar --port=8020 --config=/config.yml
 * </pre>
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) {
        Logging.configure(Logging.LogLevel.INFO);
        probeInBackground();
        System.exit(run(args));
    }

    /**
     * Runs {@code args}: a plain {@code serve} line ({@link PlainServeArgs}) without picocli, so
     * that the exporter is ready sooner, and every other line through picocli.
     */
    static int run(String... args) {
        return PlainServeArgs.parse(args).map(Main::serve).orElseGet(() -> commandLine().execute(args));
    }

    /**
     * Runs a {@code serve} that {@link PlainServeArgs} read as picocli runs one: its exit code,
     * and for an exception the same one line and exit code as {@link #oneLine}.
     */
    static int serve(ServeCommand serve) {
        try {
            return serve.call();
        } catch (Exception e) {
            return failed("ss-exporter", e, serve.err());
        }
    }

    /**
     * Starts {@link SockDiagReader#probe()}, which {@code serve} and {@code dump} wait for, on a
     * daemon thread, so that linking the libc functions through FFM (a good part of start-up: the
     * JVM generates their call stubs at run time, and cannot take them from the AOT cache) runs on
     * a second core while picocli builds the command line and the config is read. The probe runs
     * once per JVM and never throws; the command that needs it gets the same result. A command
     * that does not need it ({@code --help}, {@code check-config}) exits without waiting for it.
     */
    private static void probeInBackground() {
        Thread.ofPlatform().daemon().name("ss-exporter-probe").start(SockDiagReader::probe);
    }

    /** The command tree, with logging set up at its default level and the exit codes of {@link Exit}. */
    static CommandLine commandLine() {
        return commandLine(new ServeCommand(), CommandLine.defaultFactory());
    }

    /** Test seam: {@code serve} as the top command, subcommands from {@code factory}. */
    static CommandLine commandLine(ServeCommand serve, CommandLine.IFactory factory) {
        Logging.configure(Logging.LogLevel.INFO);
        return configure(new CommandLine(serve, factory));
    }

    /** Applies the settings every command shares to {@code cl}, e.g. a test's single command. */
    static CommandLine configure(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        spec.exitCodeOnInvalidInput(Exit.USAGE);
        spec.exitCodeOnExecutionException(Exit.FAILURE);
        cl.setExecutionExceptionHandler(Main::oneLine);
        cl.setParameterExceptionHandler(Main::usage);
        return cl;
    }

    /**
     * A wrong command line: the error, picocli's suggestions if it has any ("Did you mean: dump?"),
     * then the usage of the command at fault, all on stderr. Picocli's own handler prints either the
     * suggestions or the usage, and its suggestions for a typo are not always apt.
     */
    private static int usage(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        cl.usage(err);
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A failure no command expected (a bug, or a kernel surprise): one line on stderr instead of
     * picocli's stack trace; the trace is logged at debug level.
     */
    private static int oneLine(Exception e, CommandLine cl, ParseResult parseResult) {
        return failed(cl.getCommandName(), e, cl.getErr());
    }

    private static int failed(String command, Exception e, PrintWriter err) {
        LOG.log(System.Logger.Level.DEBUG, "command failed", e);
        err.println("ss-exporter: " + command + " failed: " + e);
        err.flush();
        return Exit.FAILURE;
    }
}
