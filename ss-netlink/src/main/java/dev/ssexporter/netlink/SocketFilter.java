package dev.ssexporter.netlink;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A condition on a socket's ports and addresses that the kernel evaluates during the dump, so
 * that sockets which fail it are never copied to user space: {@code ss}'s filter expressions
 * ({@code sport >= :1000 and dst 10/8}), compiled to the {@code inet_diag_bc_op} program of the
 * {@code INET_DIAG_REQ_BYTECODE} request attribute.
 *
 * <pre>{@code
 * SocketFilter f = SocketFilter.allOf(
 *         SocketFilter.anyOf(SocketFilter.localPorts(8000, 8099), SocketFilter.remotePorts(8000, 8099)),
 *         SocketFilter.not(SocketFilter.remoteNetwork(InetAddress.ofLiteral("10.0.0.0"), 8)));
 * reader.dump(DumpQuery.connected().withFilter(f), socket -> ...);
 * }</pre>
 *
 * <p>Filters are immutable values. {@link #matches} evaluates one in Java exactly as the
 * kernel's {@code inet_diag_bc_run} evaluates its compiled program, which fixes the semantics:
 *
 * <ul>
 *   <li>Ports compare the socket's local ({@code sport}) or remote ({@code dport}) port.
 *   <li>An IPv4 network matches IPv4 sockets, and IPv6 sockets whose address is IPv4-mapped
 *       ({@code ::ffff:a.b.c.d}): the kernel compares the last 4 bytes of such an address.
 *   <li>An IPv6 network matches IPv6 sockets only, comparing all 16 bytes, mapped or not: so
 *       {@code ::/0} matches every IPv6 socket, including those with a mapped address.
 * </ul>
 *
 * <p>{@link #acceptAll()} (an empty {@link AllOf}) is no filter: no program is sent. An empty
 * {@link AnyOf} matches nothing.
 */
public sealed interface SocketFilter {

    /** Whether the kernel would pass {@code socket} to user space under this filter. */
    boolean matches(SocketRecord socket);

    /** The filter every socket passes: an empty {@link AllOf}. A query with it sends no program. */
    static SocketFilter acceptAll() {
        return AllOf.EMPTY;
    }

    /** The local port lies in {@code lower..upper}. */
    static SocketFilter localPorts(int lower, int upper) {
        return new LocalPortRange(lower, upper);
    }

    /** The remote port lies in {@code lower..upper}. */
    static SocketFilter remotePorts(int lower, int upper) {
        return new RemotePortRange(lower, upper);
    }

    /** The local address lies in {@code network/prefixLength}. */
    static SocketFilter localNetwork(InetAddress network, int prefixLength) {
        return new LocalNetwork(network.getAddress(), prefixLength);
    }

    /** The remote address lies in {@code network/prefixLength}. */
    static SocketFilter remoteNetwork(InetAddress network, int prefixLength) {
        return new RemoteNetwork(network.getAddress(), prefixLength);
    }

    /** At least one of {@code filters} matches; none given matches nothing. */
    static SocketFilter anyOf(SocketFilter... filters) {
        return new AnyOf(List.of(filters));
    }

    /** At least one of {@code filters} matches; an empty list matches nothing. */
    static SocketFilter anyOf(List<? extends SocketFilter> filters) {
        return new AnyOf(List.copyOf(filters));
    }

    /** Every one of {@code filters} matches; none given matches everything. */
    static SocketFilter allOf(SocketFilter... filters) {
        return new AllOf(List.of(filters));
    }

    /** Every one of {@code filters} matches; an empty list matches everything. */
    static SocketFilter allOf(List<? extends SocketFilter> filters) {
        return new AllOf(List.copyOf(filters));
    }

    /** {@code filter} does not match. */
    static SocketFilter not(SocketFilter filter) {
        return new Not(filter);
    }

    /**
     * The local port lies in {@code lower..upper}, inclusive: {@code INET_DIAG_BC_S_GE} and
     * {@code INET_DIAG_BC_S_LE}, each left out when its bound is 0 or 65535.
     */
    record LocalPortRange(int lower, int upper) implements SocketFilter {
        public LocalPortRange {
            FilterSupport.checkPorts(lower, upper);
        }

        @Override
        public boolean matches(SocketRecord socket) {
            return socket.localPort() >= lower && socket.localPort() <= upper;
        }

        @Override
        public String toString() {
            return FilterSupport.portText("sport", lower, upper);
        }
    }

    /**
     * The remote port lies in {@code lower..upper}, inclusive: {@code INET_DIAG_BC_D_GE} and
     * {@code INET_DIAG_BC_D_LE}, each left out when its bound is 0 or 65535.
     */
    record RemotePortRange(int lower, int upper) implements SocketFilter {
        public RemotePortRange {
            FilterSupport.checkPorts(lower, upper);
        }

        @Override
        public boolean matches(SocketRecord socket) {
            return socket.remotePort() >= lower && socket.remotePort() <= upper;
        }

        @Override
        public String toString() {
            return FilterSupport.portText("dport", lower, upper);
        }
    }

    /**
     * The local address lies in a network: {@code INET_DIAG_BC_S_COND}.
     *
     * @param address 4 bytes (IPv4) or 16 (IPv6), network order; host bits are cleared
     * @param prefixLength 0..32 or 0..128
     */
    record LocalNetwork(byte[] address, int prefixLength) implements SocketFilter {
        public LocalNetwork {
            address = FilterSupport.masked(address, prefixLength);
        }

        /** The network's family: from the address length. */
        public AddressFamily family() {
            return FilterSupport.family(address);
        }

        /** A copy of the network address. */
        @Override
        public byte[] address() {
            return address.clone();
        }

        @Override
        public boolean matches(SocketRecord socket) {
            return FilterSupport.matches(address, prefixLength, socket.family(), socket.localAddress());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LocalNetwork n && n.prefixLength == prefixLength && Arrays.equals(n.address, address);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(address) + prefixLength;
        }

        @Override
        public String toString() {
            return "src " + FilterSupport.networkText(address, prefixLength);
        }
    }

    /**
     * The remote address lies in a network: {@code INET_DIAG_BC_D_COND}.
     *
     * @param address 4 bytes (IPv4) or 16 (IPv6), network order; host bits are cleared
     * @param prefixLength 0..32 or 0..128
     */
    record RemoteNetwork(byte[] address, int prefixLength) implements SocketFilter {
        public RemoteNetwork {
            address = FilterSupport.masked(address, prefixLength);
        }

        /** The network's family: from the address length. */
        public AddressFamily family() {
            return FilterSupport.family(address);
        }

        /** A copy of the network address. */
        @Override
        public byte[] address() {
            return address.clone();
        }

        @Override
        public boolean matches(SocketRecord socket) {
            return FilterSupport.matches(address, prefixLength, socket.family(), socket.remoteAddress());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RemoteNetwork n && n.prefixLength == prefixLength && Arrays.equals(n.address, address);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(address) + prefixLength;
        }

        @Override
        public String toString() {
            return "dst " + FilterSupport.networkText(address, prefixLength);
        }
    }

    /** At least one of {@code filters} matches; an empty list matches nothing. */
    record AnyOf(List<SocketFilter> filters) implements SocketFilter {
        public AnyOf {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(SocketRecord socket) {
            for (SocketFilter f : filters) {
                if (f.matches(socket)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return filters.isEmpty() ? "false" : FilterSupport.join(filters, " or ");
        }
    }

    /** Every one of {@code filters} matches; an empty list matches everything. */
    record AllOf(List<SocketFilter> filters) implements SocketFilter {
        static final AllOf EMPTY = new AllOf(List.of());

        public AllOf {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(SocketRecord socket) {
            for (SocketFilter f : filters) {
                if (!f.matches(socket)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return filters.isEmpty() ? "true" : FilterSupport.join(filters, " and ");
        }
    }

    /** {@code filter} does not match. */
    record Not(SocketFilter filter) implements SocketFilter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }

        @Override
        public boolean matches(SocketRecord socket) {
            return !filter.matches(socket);
        }

        @Override
        public String toString() {
            return "not " + (filter instanceof AnyOf || filter instanceof AllOf ? filter : "(" + filter + ")");
        }
    }
}
