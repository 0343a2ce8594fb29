package dev.ssexporter.exporter;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.engine.RunningTotals;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.SocketScope;
import dev.ssexporter.core.engine.SocketStatsEngine;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SockDiagReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * The production {@link ScrapeSource}: the engine over a {@code NETLINK_SOCK_DIAG} reader, both
 * owned here and closed together, the engine first.
 */
final class KernelScrapeSource implements ScrapeSource {
    private static final System.Logger LOG = System.getLogger(KernelScrapeSource.class.getName());

    private final SockDiagReader reader;
    private final SocketStatsEngine engine;

    private KernelScrapeSource(SockDiagReader reader, SocketStatsEngine engine) {
        this.reader = reader;
        this.engine = engine;
    }

    /**
     * Opens the reader and builds the engine over it; the engine adds to {@code totals}.
     *
     * @throws IOException when the netlink socket cannot be opened
     * @throws IllegalCallerException when the JVM denies native access (the message names the flag)
     */
    static ScrapeSource open(ExporterConfig config, Path procRoot, RunningTotals totals) throws IOException {
        return open(config, procRoot, SocketScope.ALL, totals);
    }

    /** {@link #open(ExporterConfig, Path, RunningTotals)} for the sockets of {@code scope} only. */
    static ScrapeSource open(ExporterConfig config, Path procRoot, SocketScope scope, RunningTotals totals)
            throws IOException {
        SockDiagReader reader = SockDiagReader.open();
        try {
            return new KernelScrapeSource(reader,
                    SocketStatsEngine.builder().config(config).source(reader).procRoot(procRoot).scope(scope)
                            .totals(totals)
                            .build());
        } catch (RuntimeException e) {
            try {
                reader.close();
            } catch (NetlinkException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    @Override
    public Scrape collect() {
        return engine.collect();
    }

    @Override
    public void close() {
        engine.close();
        try {
            reader.close();
        } catch (NetlinkException e) {
            LOG.log(Level.WARNING, "closing the netlink socket failed: {0}", e.getMessage());
        }
    }
}
