package dev.ssexporter.netlink;

import dev.ssexporter.netlink.internal.BytecodeCompiler;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to ask the kernel for in one dump: which families, which states, which per-socket
 * {@linkplain DumpExtension extensions}, and which sockets the kernel should pass at all (a
 * {@link SocketFilter}, run in the kernel).
 *
 * <pre>{@code
 * DumpQuery q = DumpQuery.of(EnumSet.of(AddressFamily.INET, AddressFamily.INET6), TcpState.connected())
 *         .withExtensions(EnumSet.of(DumpExtension.INFO))
 *         .withFilter(SocketFilter.remotePorts(443, 443));
 * }</pre>
 *
 * @param families at least one family; both are one request to the kernel, and their sockets come
 *     mixed, in the kernel's table order (see {@link SockDiagReader#dump})
 * @param states at least one state
 * @param extensions the attributes to ask for per socket; may be empty
 * @param filter the sockets to dump; {@link SocketFilter#acceptAll()} for all of them
 */
public record DumpQuery(Set<AddressFamily> families, Set<TcpState> states, Set<DumpExtension> extensions,
                        SocketFilter filter) {

    /**
     * @throws IllegalArgumentException when a set is empty (extensions may be), or when the filter
     *     compiles to a program larger than a netlink attribute can carry
     */
    public DumpQuery {
        Objects.requireNonNull(families, "families");
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(extensions, "extensions");
        Objects.requireNonNull(filter, "filter");
        if (families.isEmpty()) {
            throw new IllegalArgumentException("a dump query needs at least one address family");
        }
        if (states.isEmpty()) {
            throw new IllegalArgumentException("a dump query needs at least one TCP state");
        }
        // Unmodifiable EnumSets, not Set.copyOf: those iterate in a random order per JVM, and the
        // families' order is the order of the kernel requests when they are one per family.
        families = Collections.unmodifiableSet(EnumSet.copyOf(families));
        states = Collections.unmodifiableSet(EnumSet.copyOf(states));
        extensions = Collections.unmodifiableSet(extensions.isEmpty()
                ? EnumSet.noneOf(DumpExtension.class) : EnumSet.copyOf(extensions));
        BytecodeCompiler.checkLength(filter);
    }

    /**
     * A query with all extensions ({@code true}) or none ({@code false}) and no filter: the
     * shape of this record before extensions became a set.
     */
    public DumpQuery(Set<AddressFamily> families, Set<TcpState> states, boolean extensions) {
        this(families, states, extensions ? EnumSet.allOf(DumpExtension.class) : EnumSet.noneOf(DumpExtension.class),
                SocketFilter.acceptAll());
    }

    /** A query for {@code families} and {@code states}, with all extensions and no filter. */
    public static DumpQuery of(Set<AddressFamily> families, Set<TcpState> states) {
        return new DumpQuery(families, states, true);
    }

    /** IPv4 and IPv6, every state, all extensions, no filter. */
    public static DumpQuery all() {
        return of(EnumSet.allOf(AddressFamily.class), EnumSet.allOf(TcpState.class));
    }

    /** IPv4 and IPv6, the {@linkplain TcpState#connected() connected} states, all extensions, no filter. */
    public static DumpQuery connected() {
        return of(EnumSet.allOf(AddressFamily.class), TcpState.connected());
    }

    /** This query asking for exactly {@code extensions} (none when empty). */
    public DumpQuery withExtensions(Set<DumpExtension> extensions) {
        return new DumpQuery(families, states, extensions, filter);
    }

    /**
     * This query with {@code filter} run in the kernel; {@link SocketFilter#acceptAll()} removes it.
     *
     * @throws IllegalArgumentException when the filter's program would exceed
     *     65,528 bytes, the most a netlink attribute can carry
     */
    public DumpQuery withFilter(SocketFilter filter) {
        return new DumpQuery(families, states, extensions, filter);
    }

    /** The {@code idiag_states} bit mask. */
    public int stateMask() {
        return TcpState.mask(states);
    }

    /** Whether the dump is filtered in the kernel, i.e. whether the filter compiles to a program at all. */
    public boolean hasFilter() {
        return BytecodeCompiler.compile(filter).length > 0;
    }
}
