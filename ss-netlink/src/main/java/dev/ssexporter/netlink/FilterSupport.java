package dev.ssexporter.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** Checks, matching and text of {@link SocketFilter}'s port ranges and networks. */
final class FilterSupport {
    private FilterSupport() {}

    static void checkPorts(int lower, int upper) {
        if (lower < 0 || lower > 65535) {
            throw new IllegalArgumentException("lower port " + lower + " is outside 0..65535");
        }
        if (upper < 0 || upper > 65535) {
            throw new IllegalArgumentException("upper port " + upper + " is outside 0..65535");
        }
        if (lower > upper) {
            throw new IllegalArgumentException("port range is inverted: lower " + lower + " > upper " + upper);
        }
    }

    static String portText(String side, int lower, int upper) {
        return lower == upper ? side + " = " + lower : side + " " + lower + "-" + upper;
    }

    static byte[] masked(byte[] address, int prefixLength) {
        Objects.requireNonNull(address, "address");
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("a network address has 4 or 16 bytes, not " + address.length);
        }
        int max = address.length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max
                    + " for " + (max == 32 ? "IPv4" : "IPv6"));
        }
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.clamp(prefixLength - i * 8L, 0, 8);
            out[i] &= (byte) (0xFF00 >>> bits);
        }
        return out;
    }

    static AddressFamily family(byte[] address) {
        return address.length == 4 ? AddressFamily.INET : AddressFamily.INET6;
    }

    /**
     * The kernel's rule: an IPv4 condition matches a 4-byte address (an IPv4 socket's, or an
     * IPv6 socket's mapped one, which the reader reports as {@link Inet4Address}); an IPv6
     * condition matches an IPv6 socket's 16 bytes, with a mapped address mapped back.
     */
    static boolean matches(byte[] network, int prefixLength, AddressFamily family, InetAddress address) {
        byte[] a = address.getAddress();
        if (network.length == 4) {
            return a.length == 4 && prefixMatches(a, network, prefixLength);
        }
        if (family != AddressFamily.INET6) {
            return false;
        }
        if (a.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(a, 0, mapped, 12, 4);
            a = mapped;
        }
        return prefixMatches(a, network, prefixLength);
    }

    private static boolean prefixMatches(byte[] a, byte[] network, int prefixLength) {
        int full = prefixLength >>> 3;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength & 7;
        return rest == 0 || ((a[full] ^ network[full]) & (0xFF00 >>> rest) & 0xFF) == 0;
    }

    static String networkText(byte[] network, int prefixLength) {
        StringBuilder sb = new StringBuilder();
        if (network.length == 4) {
            for (int i = 0; i < 4; i++) {
                sb.append(i == 0 ? "" : ".").append(network[i] & 0xFF);
            }
        } else {
            // Groups without compression: unambiguous, and mapped networks stay IPv6.
            for (int i = 0; i < 16; i += 2) {
                sb.append(i == 0 ? "" : ":").append(Integer.toHexString((network[i] & 0xFF) << 8 | network[i + 1] & 0xFF));
            }
        }
        return sb.append('/').append(prefixLength).toString();
    }

    static String join(List<SocketFilter> filters, String op) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < filters.size(); i++) {
            sb.append(i == 0 ? "" : op).append(filters.get(i));
        }
        return sb.append(')').toString();
    }
}
