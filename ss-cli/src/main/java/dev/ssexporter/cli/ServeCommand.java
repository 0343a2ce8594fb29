package dev.ssexporter.cli;

import dev.ssexporter.core.config.ConfigException;
import dev.ssexporter.core.config.ConfigLoader;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.SampleConfig;
import dev.ssexporter.core.netns.NamespaceAccessException;
import dev.ssexporter.core.process.ProcessAccess;
import dev.ssexporter.exporter.ConfigReloader;
import dev.ssexporter.exporter.ExporterServer;
import dev.ssexporter.exporter.SocketStatsCollector;
import dev.ssexporter.exporter.web.WebConfig;
import dev.ssexporter.exporter.web.WebConfigLoader;
import dev.ssexporter.netlink.SockDiagReader;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ss-exporter} without a command: serves the metrics until SIGTERM or SIGINT.
 *
 * <pre>
 * ss-exporter --port=8020 --config=/config.yml
 * ss-exporter --create-config config.yml
 * </pre>
 *
 * <p>Start-up reads and validates the config (and the web config, for TLS and basic auth), probes
 * the kernel's socket interface, registers the collector, binds the port and logs
 * {@code listening on http://HOST:PORT/metrics} ({@code https} with TLS). Any of these
 * failing ends the process with exit code 1 and one clear message (the config's errors one per
 * line). A shutdown hook closes the server and the collector; the JVM then exits with 143 after
 * SIGTERM and 130 after SIGINT (128 + the signal), as every Java program does.
 *
 * <p>Once serving, SIGHUP and {@code POST /-/reload} re-read the config file
 * ({@link ConfigReloader}); a file with errors is logged and rejected, and the previous
 * configuration keeps serving.
 */
@Command(name = "ss-exporter",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Serves Linux TCP socket statistics, read from the kernel through NETLINK_SOCK_DIAG, as "
                    + "Prometheus metrics at http://HOST:PORT/metrics until SIGTERM or SIGINT. SIGHUP or "
                    + "POST /-/reload re-reads the config file.",
            "Without a command it serves; the commands inspect the sockets and check a config."
        },
        subcommands = {DumpCommand.class, CheckConfigCommand.class, HelpCommand.class},
        sortOptions = false,
        usageHelpAutoWidth = true,
        exitCodeOnInvalidInput = Exit.USAGE,
        exitCodeOnExecutionException = Exit.FAILURE,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:Failure: invalid config, port in use, kernel socket interface unavailable, file exists.",
            "2:Invalid command line; the usage is printed."
        },
        footer = "%nSee docs/cli.md for every command, option and the JVM settings of bin/ss-exporter.")
final class ServeCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());
    /** How long stopping waits for the collector to close (for a running dump to end). */
    static final Duration COLLECTOR_CLOSE_WAIT = Duration.ofMillis(300);

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8020", converter = Converters.Port.class,
            description = "TCP port to serve on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 8020;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file. Without it: every metric, raw_endpoint labels, no selection.")
    Path config;

    @Option(names = "--listen-address", paramLabel = "HOST",
            description = "Address or host name to listen on, e.g. 127.0.0.1 or ::1 (default: all interfaces).")
    String listenAddress;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "Web config in the Prometheus exporter-toolkit format: TLS certificate and key, "
                    + "basic_auth_users (bcrypt hashes), response headers. Without it: plain HTTP, no authentication.")
    Path webConfigFile;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info", converter = Converters.LogLevel.class,
            description = "error, warn, info or debug (default: ${DEFAULT-VALUE}). Logs go to stderr.")
    Logging.LogLevel logLevel = Logging.LogLevel.INFO;

    @Option(names = "--proc-root", paramLabel = "DIR", defaultValue = "/proc",
            description = "Where the process table is read for pid_condensed labels and process selection, "
                    + "e.g. /host/proc in a container (default: ${DEFAULT-VALUE}).")
    Path procRoot = Path.of("/proc");

    @Option(names = "--create-config", paramLabel = "FILE",
            description = "Write a commented sample configuration to FILE ('-' for stdout) and exit; "
                    + "an existing FILE is never overwritten.")
    String createConfig;

    /** Set by picocli; null when {@link PlainServeArgs} read the command line. */
    @Spec
    CommandSpec spec;

    /** Where this command prints when picocli does not run it; standard output and error unless set. */
    private PrintWriter plainOut;
    private PrintWriter plainErr;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private SocketStatsCollector collector;
    private ExporterServer server;
    private volatile int boundPort = -1;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = err();
        if (createConfig != null) {
            return createConfig(out(), err);
        }
        Logging.configure(logLevel);
        noDelay();
        ExporterConfig exporterConfig;
        try {
            exporterConfig = config == null ? ExporterConfig.defaults() : ConfigLoader.load(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.println("ss-exporter: not starting: the configuration " + config + " is invalid");
            return Exit.FAILURE;
        }
        WebConfig web = WebConfig.none();
        if (webConfigFile != null) {
            try {
                web = WebConfigLoader.load(webConfigFile);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.println("ss-exporter: not starting: the web config " + webConfigFile + " is invalid");
                return Exit.FAILURE;
            }
        }
        var availability = SockDiagReader.probe();
        if (!availability.available()) {
            err.println("ss-exporter: not starting: the kernel's TCP socket interface (NETLINK_SOCK_DIAG) is "
                    + "unavailable: " + availability.unavailabilityCause());
            return Exit.FAILURE;
        }
        if (exporterConfig.needsProcessAttribution()) {
            warnIfOtherProcessesAreUnreadable();
        }
        int failure = start(exporterConfig, web, err);
        if (failure != Exit.OK) {
            return failure;
        }
        Thread hook = Thread.ofPlatform().name("ss-exporter-shutdown").unstarted(this::stop);
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.log(Level.INFO, "listening on {0}://{1}:{2,number,#}/metrics", web.tls().isPresent() ? "https" : "http",
                urlHost(listenAddress), boundPort);
        try {
            stopped.await();
        } finally {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: the JVM is on its way out.
            }
        }
        return Exit.OK;
    }

    /** Where to print when {@link PlainServeArgs} read the command line (picocli has its own); for tests. */
    ServeCommand printTo(PrintWriter out, PrintWriter err) {
        this.plainOut = out;
        this.plainErr = err;
        return this;
    }

    PrintWriter out() {
        if (spec != null) {
            return spec.commandLine().getOut();
        }
        return plainOut != null ? plainOut : new PrintWriter(System.out, true, System.out.charset());
    }

    PrintWriter err() {
        if (spec != null) {
            return spec.commandLine().getErr();
        }
        return plainErr != null ? plainErr : new PrintWriter(System.err, true, System.err.charset());
    }

    /** The JDK HTTP server's switch for {@code TCP_NODELAY} on the connections it accepts. */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    /**
     * Turns on {@code TCP_NODELAY} for the HTTP server's connections, unless the command line set
     * the property. Without it (the JDK's default), a response's last small write waits for the
     * client's acknowledgement of the previous one, which a client delays by up to 40 ms: measured
     * on loopback, about one scrape in three of a ~1% selection took 55-70 ms instead of 15-25 ms.
     * The JDK reads the property once, when the server is first created, so it is set before that.
     */
    static void noDelay() {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    /** Says once, at start-up, what process attribution lacks to see other users' processes. */
    private static void warnIfOtherProcessesAreUnreadable() {
        Path status = Path.of("/proc/self/status");
        try {
            ProcessAccess.check(status).warning().ifPresent(w -> LOG.log(Level.WARNING, w));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot tell this process''s capabilities from {0}: {1}", status, e.getMessage());
        }
    }

    private int start(ExporterConfig exporterConfig, WebConfig web, PrintWriter err) {
        PrometheusRegistry registry = new PrometheusRegistry();
        SocketStatsCollector c;
        try {
            c = SocketStatsCollector.builder().config(exporterConfig).procRoot(procRoot).register(registry);
        } catch (NamespaceAccessException e) {
            err.println("ss-exporter: not starting: " + e.getMessage());
            return Exit.FAILURE;
        } catch (IOException e) {
            err.println("ss-exporter: not starting: cannot open the kernel's TCP socket interface: " + e.getMessage());
            return Exit.FAILURE;
        }
        ConfigReloader reloader = ConfigReloader.builder().collector(c).configFile(config).register(registry);
        ExporterServer s;
        try {
            s = ExporterServer.builder().port(port).listenAddress(listenAddress).registry(registry).webConfig(web)
                    .reloadAction(reloader).build().start();
        } catch (IOException | IllegalArgumentException e) {
            c.close();
            err.println("ss-exporter: not starting: " + e.getMessage());
            return Exit.FAILURE;
        }
        synchronized (lifecycle) {
            collector = c;
            server = s;
        }
        boundPort = s.port();
        ReloadSignal.install(reloader::reload);
        HeapWatch.install(HeapWatch.DEFAULT_FRACTION);
        return Exit.OK;
    }

    /**
     * Closes the server, then the collector, and lets {@link #call()} return; idempotent. The
     * server closes at once; the collector waits for a kernel dump in progress, so its close gets
     * at most {@link #COLLECTOR_CLOSE_WAIT} before shutdown goes on without it (the process is
     * exiting: the kernel releases the netlink socket with it).
     */
    void stop() {
        ExporterServer s;
        SocketStatsCollector c;
        synchronized (lifecycle) {
            s = server;
            c = collector;
            server = null;
            collector = null;
        }
        if (s != null) {
            s.close();
        }
        if (c != null) {
            closeWithin(c, COLLECTOR_CLOSE_WAIT);
        }
        stopped.countDown();
    }

    private static void closeWithin(SocketStatsCollector c, Duration wait) {
        Thread closer = Thread.ofPlatform().daemon().name("ss-exporter-close").start(c::close);
        try {
            if (!closer.join(wait)) {
                LOG.log(Level.DEBUG, "a kernel dump is still running; not waiting more than {0} ms for it",
                        wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The port being served once started (the one picked for {@code --port 0}); -1 before. */
    int boundPort() {
        return boundPort;
    }

    private int createConfig(PrintWriter out, PrintWriter err) {
        String text = SampleConfig.text();
        if (createConfig.equals("-")) {
            out.print(text);
            out.flush();
            return Exit.OK;
        }
        Path file = Path.of(createConfig);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            err.println("ss-exporter: " + file + " already exists; not overwriting it");
            return Exit.FAILURE;
        } catch (NoSuchFileException e) {
            err.println("ss-exporter: cannot write " + file + ": its directory does not exist");
            return Exit.FAILURE;
        } catch (AccessDeniedException e) {
            err.println("ss-exporter: cannot write " + file + ": permission denied");
            return Exit.FAILURE;
        } catch (IOException e) {
            err.println("ss-exporter: cannot write " + file + ": " + e.getMessage());
            return Exit.FAILURE;
        }
        out.println("wrote a sample configuration to " + file);
        return Exit.OK;
    }

    /** The host part of the URL in the start-up line: all interfaces as 0.0.0.0, IPv6 in brackets. */
    static String urlHost(String listenAddress) {
        if (listenAddress == null || listenAddress.isBlank()) {
            return "0.0.0.0";
        }
        String host = listenAddress.strip();
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
