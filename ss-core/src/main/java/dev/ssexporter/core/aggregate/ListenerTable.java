package dev.ssexporter.core.aggregate;

import dev.ssexporter.core.AddressText;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link ListenerStats} of one dump from its {@code LISTEN} and {@code SYN_RECV}
 * sockets, in any order. A {@code SYN_RECV} socket belongs to the listener on its exact local
 * address and port; else to the wildcard listener of its family on that port ({@code 0.0.0.0} or
 * {@code ::}); else, for IPv4, to a {@code ::} listener on that port (a dual-stack socket accepts
 * IPv4 connections). A handshake whose listener is gone is not counted. Used on one thread.
 */
final class ListenerTable {
    private final Map<String, long[]> byListener = new HashMap<>();
    private final List<SocketRecord> handshakes = new ArrayList<>();

    /** Adds a {@code LISTEN} socket. */
    void listener(SocketRecord s) {
        long[] v = byListener.computeIfAbsent(label(s.localAddress(), s.localPort()), k -> new long[4]);
        v[0] += s.rqueue();
        v[1] += s.wqueue();
        v[3]++;
    }

    /** Adds a {@code SYN_RECV} socket; matched to its listener in {@link #finish()}. */
    void handshake(SocketRecord s) {
        handshakes.add(s);
    }

    /** The listeners, sorted by label. */
    List<ListenerStats> finish() {
        for (SocketRecord s : handshakes) {
            long[] v = byListener.get(label(s.localAddress(), s.localPort()));
            if (v == null) {
                v = byListener.get(wildcard(s.family(), s.localPort()));
            }
            if (v == null && s.family() == AddressFamily.INET) {
                v = byListener.get(wildcard(AddressFamily.INET6, s.localPort()));
            }
            if (v != null) {
                v[2]++;
            }
        }
        List<ListenerStats> out = new ArrayList<>(byListener.size());
        byListener.forEach((k, v) -> out.add(new ListenerStats(k, v[0], v[1], v[2], (int) v[3])));
        out.sort(Comparator.comparing(ListenerStats::listener));
        return out;
    }

    /** {@code 10.0.0.1:443}, or {@code [2001:db8::1]:443} for IPv6. */
    static String label(InetAddress address, int port) {
        StringBuilder sb = new StringBuilder(48);
        String text = AddressText.format(address);
        if (text.indexOf(':') >= 0) {
            sb.append('[').append(text).append(']');
        } else {
            sb.append(text);
        }
        return sb.append(':').append(port).toString();
    }

    private static String wildcard(AddressFamily family, int port) {
        return (family == AddressFamily.INET ? "0.0.0.0:" : "[::]:") + port;
    }
}
