package dev.ssexporter.core.selection;

import dev.ssexporter.core.AddressText;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation. The host bits are cleared when it is built, so
 * {@code 10.1.2.3/8} is {@code 10.0.0.0/8}. An IPv4 network also contains IPv4-mapped IPv6
 * addresses ({@code ::ffff:10.1.2.3}).
 *
 * <pre>{@code
 * Cidr.parse("10.0.0.0/8").contains(InetAddress.ofLiteral("10.20.30.40")) == true
 * Cidr.parse("fd00::/8").contains(InetAddress.ofLiteral("fd12::1")) == true
 * Cidr.parse("10.0.0.0/33")  // IllegalArgumentException: prefix length 33 exceeds 32 for IPv4
 * }</pre>
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code address/prefix}, or a bare address as a single host ({@code /32} or
     * {@code /128}). Only literal addresses are accepted; no name is resolved. IPv4 must be a full
     * dotted quad: {@code 10/8} is rejected rather than read as {@code 0.0.0.10/8}, as
     * {@link InetAddress#ofLiteral} would (it accepts the BSD forms {@code a}, {@code a.b}, {@code a.b.c}). An IPv4-mapped network with a prefix of at least 96
     * ({@code ::ffff:10.0.0.0/104}) is the IPv4 network it maps ({@code 10.0.0.0/8}).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        InetAddress address = literal(addressPart, text);
        byte[] bytes = address.getAddress();
        boolean mappedLiteral = bytes.length == 4 && addressPart.indexOf(':') >= 0;
        int max = mappedLiteral ? 128 : bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !isAsciiDigits(p)) {
                throw new IllegalArgumentException("invalid prefix length \"" + p + "\" in \"" + text + "\"");
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("prefix length " + prefix + " exceeds " + max + " for "
                        + (max == 32 ? "IPv4" : "IPv6") + " in \"" + text + "\"");
            }
        }
        if (mappedLiteral) {
            if (prefix >= 96) {
                prefix -= 96;
            } else {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    /** The network holding exactly {@code address}. */
    public static Cidr host(InetAddress address) {
        byte[] b = address.getAddress();
        return new Cidr(b, b.length * 8);
    }

    /**
     * Parses an IP literal, IPv4 (dotted quad) or IPv6, without any name lookup. An IPv4-mapped
     * IPv6 literal yields an {@link java.net.Inet4Address}, as everywhere in the JDK.
     *
     * @throws IllegalArgumentException when {@code text} is not an IP literal
     */
    public static InetAddress parseAddress(String text) {
        return literal(text.trim(), text);
    }

    private static InetAddress literal(String s, String original) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty address in \"" + original + "\"");
        }
        if (s.indexOf('%') >= 0) {
            throw new IllegalArgumentException("\"" + original + "\": zone indexes (%...) are not supported");
        }
        if (s.indexOf(':') < 0 && isShortIpv4(s)) {
            throw new IllegalArgumentException("\"" + original + "\" is not a dotted-quad IPv4 address (a.b.c.d)");
        }
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + original + "\" is not an IPv4 or IPv6 address", e);
        }
    }

    /** Digits and fewer than three dots: a form like {@code 10} or {@code 10.1} that the JDK would accept. */
    private static boolean isShortIpv4(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots < 3;
    }

    private static boolean isAsciiDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.clamp(prefix - i * 8L, 0, 8);
            out[i] &= (byte) (0xFF00 >>> bitsHere);
        }
        return out;
    }

    /** The prefix length in bits. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The network address with the host bits cleared: 4 bytes for IPv4, 16 for IPv6. A copy. */
    public byte[] networkBytes() {
        return network.clone();
    }

    /** Whether this is an IPv4 network. */
    public boolean isIpv4() {
        return network.length == 4;
    }

    /**
     * Whether {@code address} lies in this network. IPv4 networks match IPv4 addresses and
     * IPv4-mapped IPv6 addresses; IPv6 networks match IPv6 addresses only, so {@code ::/0} means
     * "every IPv6 peer", not "every peer".
     */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Same as {@link #contains(InetAddress)}, on the 4 or 16 raw bytes, without copying them. */
    boolean contains(byte[] a) {
        int from = 0;
        if (a.length == 16 && network.length == 4) {
            if (!AddressText.isV4Mapped(a)) {
                return false;
            }
            from = 12;
        } else if (a.length != network.length) {
            return false;
        }
        int full = prefixLength >>> 3;
        for (int i = 0; i < full; i++) {
            if (a[from + i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength & 7;
        if (rest == 0) {
            return true;
        }
        int m = 0xFF00 >>> rest & 0xFF;
        return (a[from + full] & m) == (network[full] & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** Canonical text, e.g. {@code 10.0.0.0/8} or {@code fd00::/8}. */
    @Override
    public String toString() {
        return AddressText.format(network) + "/" + prefixLength;
    }
}
