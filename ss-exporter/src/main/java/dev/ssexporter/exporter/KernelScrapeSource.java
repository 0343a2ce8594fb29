package dev.ssexporter.exporter;

import dev.ssexporter.core.config.ExporterConfig;
import java.io.IOException;
import java.nio.file.Path;

/** The production {@link ScrapeSource}: the engine over a {@code NETLINK_SOCK_DIAG} reader. */
final class KernelScrapeSource {

    private KernelScrapeSource() {}

    /**
     * Opens the reader and builds the engine over it.
     *
     * @throws IOException when the netlink socket cannot be opened
     */
    static ScrapeSource open(ExporterConfig config, Path procRoot) throws IOException {
        // SockDiagReader and SocketStatsEngine are still being written in ss-netlink and ss-core;
        // until they land, only an injected source works.
        throw new IllegalStateException("the kernel scrape source is not available yet (config "
                + config.folding().configName() + ", proc root " + procRoot + ")");
    }
}
