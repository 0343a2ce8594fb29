package dev.ssexporter.core.aggregate;

import dev.ssexporter.core.config.PeerGroup;
import dev.ssexporter.core.config.ServicesConfig;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.histogram.RttHistogramAccumulator;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sums connections per (direction, service, peer group) across scrapes; see {@link ServiceStats}.
 *
 * <p>Per scrape ({@link #round()}): the listening ports and the selected connections of the dump
 * are collected in any order, then {@link Round#finish()} classifies each connection. A connection
 * whose local port has a listener is {@code inbound} to that port, any other is {@code outbound}
 * to its remote port. The first (direction, port) pairs seen get their own {@code service} label,
 * up to {@link ServicesConfig#maxServices()}; later ones are counted as {@code service="other"}.
 * An admitted service keeps its label for the life of the exporter, so its counters stay.
 *
 * <p>Counters: each connection's last values are remembered by socket cookie until a scrape no
 * longer sees it; then they are added to its aggregate's closed base. The aggregate's counter is
 * that base plus the current values of its open connections. Memory holds only the connections of
 * the last scrape and one base per aggregate. A connection keeps the aggregate it was first
 * classified into. What a connection does between the last scrape that saw it and its close is
 * not counted.
 *
 * <p>Not thread-safe: the engine calls it under its lock, one round at a time.
 */
final class ServiceAggregator {
    private static final int OTHER = -1;
    private static final int COUNTERS = 5;

    private final ServicesConfig config;
    private final BucketBounds bounds;
    private final List<PeerGroup> groups;
    private final Set<Integer> admitted = new HashSet<>();
    private final Map<Key, long[]> closed = new HashMap<>();
    private Map<Long, Remembered> last = new HashMap<>();

    ServiceAggregator(ServicesConfig config, BucketBounds bounds) {
        this.config = config;
        this.bounds = bounds;
        this.groups = config.peerGroups();
    }

    Round round() {
        return new Round();
    }

    /** An aggregate: inbound or not, service port or {@link #OTHER}, peer group index or {@link #OTHER}. */
    private record Key(boolean inbound, int port, int group) {}

    /** A connection's aggregate and values at the scrape that saw it. */
    private record Remembered(Key key, double rttMs, long[] counters) {}

    /**
     * What a round keeps of a connection until it is classified: a few dozen bytes, not the
     * socket record with its whole {@code tcp_info}, so a round over 100,000 connections stays small.
     */
    private record Connection(long cookie, int localPort, int remotePort, InetAddress remote, double rttMs,
                              long[] counters) {}

    /** One scrape's connections, classified when the whole dump has been seen. */
    final class Round {
        private final Set<Integer> listening = new HashSet<>();
        private final List<Connection> connections = new ArrayList<>();

        void listening(int port) {
            listening.add(port);
        }

        /** A selected socket; ignored without {@code tcp_info} (no connection state to sum). */
        void connection(SocketRecord s) {
            TcpInfo info = s.tcpInfo();
            if (info != null && info.has(TcpInfoField.RTT)) {
                connections.add(new Connection(s.cookie(), s.localPort(), s.remotePort(), s.remoteAddress(),
                        info.get(TcpInfoField.RTT) / 1000.0, counters(info)));
            }
        }

        /** Classifies, folds the closed connections in, and returns the aggregates sorted. */
        Result finish() {
            Map<Long, Remembered> current = HashMap.newHashMap(connections.size());
            for (Connection c : connections) {
                Remembered before = last.get(c.cookie());
                Key key = before != null ? before.key() : classify(c);
                current.put(c.cookie(), new Remembered(key, c.rttMs(), c.counters()));
            }
            for (Map.Entry<Long, Remembered> e : last.entrySet()) {
                if (!current.containsKey(e.getKey())) {
                    add(closed.computeIfAbsent(e.getValue().key(), k -> new long[COUNTERS]), e.getValue().counters());
                }
            }
            last = current;

            Map<Key, Live> live = new HashMap<>();
            closed.forEach((k, base) -> live.put(k, new Live(base)));
            long overflow = 0;
            for (Remembered r : current.values()) {
                Live l = live.computeIfAbsent(r.key(), k -> new Live(new long[COUNTERS]));
                l.connections++;
                l.rtt.observe(r.rttMs());
                add(l.counters, r.counters());
                if (r.key().port() == OTHER) {
                    overflow++;
                }
            }
            List<Key> keys = new ArrayList<>(live.keySet());
            keys.sort(Comparator.comparing(Key::inbound).reversed()
                    .thenComparingInt(k -> k.port() == OTHER ? Integer.MAX_VALUE : k.port())
                    .thenComparingInt(k -> k.group() == OTHER ? Integer.MAX_VALUE : k.group()));
            List<ServiceStats> out = new ArrayList<>(keys.size());
            for (Key k : keys) {
                Live l = live.get(k);
                long[] c = l.counters;
                out.add(new ServiceStats(k.inbound() ? ServiceStats.INBOUND : ServiceStats.OUTBOUND,
                        k.port() == OTHER ? ServiceStats.OTHER : Integer.toString(k.port()),
                        k.group() == OTHER ? PeerGroup.OTHER : groups.get(k.group()).name(),
                        l.connections, l.rtt.toHistogram(), c[0], c[1], c[2], c[3], c[4]));
            }
            return new Result(out, overflow);
        }

        private Key classify(Connection s) {
            boolean inbound = listening.contains(s.localPort());
            int port = inbound ? s.localPort() : s.remotePort();
            int service = inbound ? port : -2 - port; // admitted holds inbound ports as is, outbound ones negated
            if (!admitted.contains(service)) {
                if (admitted.size() < config.maxServices()) {
                    admitted.add(service);
                } else {
                    port = OTHER;
                }
            }
            return new Key(inbound, port, group(s.remote()));
        }
    }

    /** The services of one round and how many open connections went to {@code service="other"}. */
    record Result(List<ServiceStats> services, long overflowConnections) {}

    /** An aggregate being summed: its closed base, then its open connections added. */
    private final class Live {
        final long[] counters;
        final RttHistogramAccumulator rtt = RttHistogramAccumulator.of(bounds);
        long connections;

        Live(long[] base) {
            this.counters = base.clone();
        }
    }

    private int group(InetAddress peer) {
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).contains(peer)) {
                return i;
            }
        }
        return OTHER;
    }

    private static long[] counters(TcpInfo info) {
        return new long[] {
            info.getOrDefault(TcpInfoField.BYTES_ACKED, 0),
            info.getOrDefault(TcpInfoField.BYTES_RECEIVED, 0),
            info.getOrDefault(TcpInfoField.TOTAL_RETRANS, 0),
            info.getOrDefault(TcpInfoField.DATA_SEGS_IN, 0),
            info.getOrDefault(TcpInfoField.DATA_SEGS_OUT, 0),
        };
    }

    private static void add(long[] into, long[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }
}
