package dev.ssexporter.core;

import java.net.InetAddress;

/**
 * Text form of IP addresses as labels and tables show them: dotted quad for IPv4, and the RFC 5952
 * canonical form for IPv6 (lower case, leading zeros dropped, the longest run of two or more zero
 * groups, leftmost on a tie, written {@code ::}). An IPv4-mapped IPv6 address is shown as IPv4.
 *
 * <pre>{@code
 * AddressText.format(InetAddress.ofLiteral("2001:db8:0:0:1:0:0:1")) -> "2001:db8::1:0:0:1"
 * AddressText.format(InetAddress.ofLiteral("::ffff:10.0.0.1"))      -> "10.0.0.1"
 * }</pre>
 */
public final class AddressText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AddressText() {}

    /** Formats {@code address}; never resolves a name. */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /** Formats a 4- or 16-byte address. */
    public static String format(byte[] a) {
        return appendTo(new StringBuilder(a.length == 4 ? 15 : 39), a).toString();
    }

    /** Appends the text of {@code address} to {@code sb}, without an intermediate string. */
    public static StringBuilder appendTo(StringBuilder sb, InetAddress address) {
        return appendTo(sb, address.getAddress());
    }

    /**
     * Appends the text of a 4- or 16-byte address to {@code sb}.
     *
     * @return {@code sb}
     */
    public static StringBuilder appendTo(StringBuilder sb, byte[] a) {
        if (a.length == 4) {
            return ipv4(sb, a, 0);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + a.length);
        }
        if (isV4Mapped(a)) {
            return ipv4(sb, a, 12);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (group(a, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(a, j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        boolean needColon = false;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                needColon = false;
                continue;
            }
            if (needColon) {
                sb.append(':');
            }
            appendHex(sb, group(a, i));
            needColon = true;
        }
        return sb;
    }

    /** Whether 16 address bytes are an IPv4-mapped IPv6 address, {@code ::ffff:a.b.c.d}. */
    public static boolean isV4Mapped(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    private static int group(byte[] a, int i) {
        return (a[2 * i] & 0xFF) << 8 | (a[2 * i + 1] & 0xFF);
    }

    private static void appendHex(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = v >>> shift & 0xF;
            if (d != 0 || started || shift == 0) {
                sb.append(HEX[d]);
                started = true;
            }
        }
    }

    private static StringBuilder ipv4(StringBuilder sb, byte[] a, int from) {
        return sb.append(a[from] & 0xFF).append('.').append(a[from + 1] & 0xFF).append('.')
                .append(a[from + 2] & 0xFF).append('.').append(a[from + 3] & 0xFF);
    }
}
