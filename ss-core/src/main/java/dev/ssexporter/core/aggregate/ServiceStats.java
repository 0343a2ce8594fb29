package dev.ssexporter.core.aggregate;

import dev.ssexporter.core.engine.RttHistogram;
import java.util.Objects;

/**
 * The connections of one (direction, service, peer group) aggregate. The gauge and the histogram
 * describe the open connections at this scrape; the counters add the last values seen of the
 * connections that have closed since the exporter started, so they never go down.
 *
 * @param direction {@code inbound} (the local port is a listening port: the service is the local
 *     port) or {@code outbound} (the service is the remote port)
 * @param service the service port, or {@code other} for services beyond the cap
 * @param peerGroup the first configured peer group containing the remote address, or {@code other}
 * @param connections open connections (sockets with {@code tcp_info}) at this scrape
 * @param rtt their smoothed RTTs, in milliseconds
 * @param bytesSent bytes the peers acknowledged ({@code tcpi_bytes_acked})
 * @param bytesReceived bytes received ({@code tcpi_bytes_received})
 * @param retransmits segments retransmitted ({@code tcpi_total_retrans})
 * @param dataSegsIn data segments received ({@code tcpi_data_segs_in})
 * @param dataSegsOut data segments sent ({@code tcpi_data_segs_out})
 */
public record ServiceStats(String direction, String service, String peerGroup, long connections, RttHistogram rtt,
                           long bytesSent, long bytesReceived, long retransmits, long dataSegsIn,
                           long dataSegsOut) {
    public static final String INBOUND = "inbound";
    public static final String OUTBOUND = "outbound";
    /** The service of connections beyond {@code maxServices}. */
    public static final String OTHER = "other";

    public ServiceStats {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(peerGroup, "peerGroup");
        Objects.requireNonNull(rtt, "rtt");
    }
}
