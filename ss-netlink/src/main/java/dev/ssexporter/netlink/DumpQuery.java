package dev.ssexporter.netlink;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to ask the kernel for in one dump: which families, which states, and whether to include
 * the per-socket extensions ({@code tcp_info}, congestion algorithm, memory info).
 *
 * <pre>{@code
 * DumpQuery q = DumpQuery.of(EnumSet.of(AddressFamily.INET, AddressFamily.INET6), TcpState.connected());
 * }</pre>
 *
 * @param families at least one family; each is one request to the kernel
 * @param states at least one state
 * @param extensions whether to request INET_DIAG_INFO, INET_DIAG_CONG, INET_DIAG_MEMINFO and
 *     INET_DIAG_SKMEMINFO
 */
public record DumpQuery(Set<AddressFamily> families, Set<TcpState> states, boolean extensions) {

    public DumpQuery {
        Objects.requireNonNull(families, "families");
        Objects.requireNonNull(states, "states");
        if (families.isEmpty()) {
            throw new IllegalArgumentException("a dump query needs at least one address family");
        }
        if (states.isEmpty()) {
            throw new IllegalArgumentException("a dump query needs at least one TCP state");
        }
        // Unmodifiable EnumSets, not Set.copyOf: those iterate in a random order per JVM, and the
        // families' order is the order of the kernel requests.
        families = Collections.unmodifiableSet(EnumSet.copyOf(families));
        states = Collections.unmodifiableSet(EnumSet.copyOf(states));
    }

    /** A query for {@code families} and {@code states}, with all extensions. */
    public static DumpQuery of(Set<AddressFamily> families, Set<TcpState> states) {
        return new DumpQuery(families, states, true);
    }

    /** IPv4 and IPv6, every state, all extensions. */
    public static DumpQuery all() {
        return of(EnumSet.allOf(AddressFamily.class), EnumSet.allOf(TcpState.class));
    }

    /** IPv4 and IPv6, the {@linkplain TcpState#connected() connected} states, all extensions. */
    public static DumpQuery connected() {
        return of(EnumSet.allOf(AddressFamily.class), TcpState.connected());
    }

    /** The {@code idiag_states} bit mask. */
    public int stateMask() {
        return TcpState.mask(states);
    }
}
