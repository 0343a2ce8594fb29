package dev.ssexporter.cli.e2e;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * One end of a TCP connection, with its address written the way {@code docs/metrics.md} says the
 * {@code flow} label writes it: IPv4 dotted, IPv4-mapped IPv6 as plain IPv4, other IPv6 in the
 * RFC 5952 short form ({@code ::1}). Written independently of the exporter's code on purpose.
 */
record Endpoint(InetAddress address, int port) {
    Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    static Endpoint of(String literal, int port) {
        return new Endpoint(literal(literal), port);
    }

    static Endpoint local(Socket s) {
        return new Endpoint(s.getLocalAddress(), s.getLocalPort());
    }

    static Endpoint remote(Socket s) {
        return new Endpoint(s.getInetAddress(), s.getPort());
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** The address as the flow label writes it. */
    String ip() {
        return canonical(address);
    }

    /** {@code ip|port}, the inside of a label's SRC or DST part. */
    String text() {
        return ip() + "|" + port;
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * Parses an IP literal without any name lookup; {@code ::ffff:a.b.c.d} becomes the IPv4 address
     * (the JDK does that), a {@code %zone} suffix and {@code [...]} brackets are dropped.
     */
    static InetAddress literal(String text) {
        String s = text;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.isEmpty() || !(s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("not an IP literal: " + text);
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            return a instanceof Inet6Address six ? InetAddress.getByAddress(six.getAddress()) : a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + text, e);
        }
    }

    /** Dotted IPv4; RFC 5952 for IPv6 (lower case, no leading zeros, longest zero run of 2+ as ::). */
    static String canonical(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        if (isMappedV4(b)) {
            return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
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
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
