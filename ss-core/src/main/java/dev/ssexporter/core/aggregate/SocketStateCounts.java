package dev.ssexporter.core.aggregate;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.TcpState;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * TCP sockets per address family and state in one dump, for {@code tcp_sockets}. Every
 * combination of {@link AddressFamily} and {@link #STATES} has a count, zero included, so the
 * exported series do not come and go.
 *
 * <p>Immutable once handed out; the engine fills its own instance during a dump and hands out a
 * copy. A socket counts under the family it was created with: a dual-stack IPv6 socket with an
 * IPv4-mapped peer counts as {@code ipv6}, as {@code ss -6} lists it.
 */
public final class SocketStateCounts {
    /**
     * The states counted, in kernel order: every state {@code /proc/net/tcp} and {@code ss -ta}
     * show. {@code NEW_SYN_RECV} is reported by the kernel as {@code SYN_RECV}, and
     * {@code BOUND_INACTIVE} sockets (bound, never listening or connecting) are not counted.
     */
    public static final List<TcpState> STATES = List.copyOf(counted());

    private final long[] counts = new long[AddressFamily.values().length * TcpState.values().length];

    SocketStateCounts() {}

    private SocketStateCounts(long[] counts) {
        System.arraycopy(counts, 0, this.counts, 0, counts.length);
    }

    /** The states a dump must ask for to fill every count. */
    public static Set<TcpState> dumpStates() {
        return counted();
    }

    private static EnumSet<TcpState> counted() {
        EnumSet<TcpState> s = EnumSet.allOf(TcpState.class);
        s.remove(TcpState.NEW_SYN_RECV);
        s.remove(TcpState.BOUND_INACTIVE);
        return s;
    }

    /** All zero. */
    public static SocketStateCounts empty() {
        return new SocketStateCounts();
    }

    /** A copy of these counts with {@code n} sockets of {@code family} in {@code state}. */
    public SocketStateCounts with(AddressFamily family, TcpState state, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a socket count cannot be negative, got " + n);
        }
        SocketStateCounts c = copy();
        c.counts[index(family, state)] = n;
        return c;
    }

    void add(AddressFamily family, TcpState state) {
        counts[index(family, state)]++;
    }

    /** A frozen copy, safe to hand to another thread. */
    SocketStateCounts copy() {
        return new SocketStateCounts(counts);
    }

    /** The sockets of {@code family} in {@code state}. */
    public long count(AddressFamily family, TcpState state) {
        return counts[index(family, state)];
    }

    /** The sockets of both families in {@code state}. */
    public long count(TcpState state) {
        long n = 0;
        for (AddressFamily f : AddressFamily.values()) {
            n += count(f, state);
        }
        return n;
    }

    /** The {@code family} label value: {@code ipv4} or {@code ipv6}. */
    public static String familyLabel(AddressFamily family) {
        return family == AddressFamily.INET ? "ipv4" : "ipv6";
    }

    /** The {@code state} label value: the kernel name in lower case, e.g. {@code time_wait}. */
    public static String stateLabel(TcpState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static int index(AddressFamily family, TcpState state) {
        return family.ordinal() * TcpState.values().length + state.ordinal();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SocketStateCounts[");
        for (AddressFamily f : AddressFamily.values()) {
            for (TcpState s : STATES) {
                long n = count(f, s);
                if (n > 0) {
                    sb.append(familyLabel(f)).append('/').append(stateLabel(s)).append('=').append(n).append(' ');
                }
            }
        }
        return sb.append(']').toString();
    }
}
