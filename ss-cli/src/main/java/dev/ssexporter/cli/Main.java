package dev.ssexporter.cli;

import dev.ssexporter.netlink.SockDiagReader;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ss-exporter} command line: {@link ServeCommand} (no command), {@link DumpCommand}
 * and {@link CheckConfigCommand}. Exit codes are in {@link Exit}.
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
        System.exit(commandLine().execute(args));
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
        cl.setExecutionExceptionHandler(ONE_LINE);
        cl.setParameterExceptionHandler(USAGE);
        return cl;
    }

    /**
     * A wrong command line: the error, picocli's suggestions if it has any ("Did you mean: dump?"),
     * then the usage of the command at fault, all on stderr. Picocli's own handler prints either the
     * suggestions or the usage, and its suggestions for a typo are not always apt.
     */
    private static final IParameterExceptionHandler USAGE = (e, args) -> {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        cl.usage(err);
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    };

    /**
     * A failure no command expected (a bug, or a kernel surprise): one line on stderr instead of
     * picocli's stack trace; the trace is logged at debug level.
     */
    private static final IExecutionExceptionHandler ONE_LINE = (e, cl, parseResult) -> {
        LOG.log(System.Logger.Level.DEBUG, "command failed", e);
        PrintWriter err = cl.getErr();
        err.println("ss-exporter: " + cl.getCommandName() + " failed: " + e);
        err.flush();
        return Exit.FAILURE;
    };
}
