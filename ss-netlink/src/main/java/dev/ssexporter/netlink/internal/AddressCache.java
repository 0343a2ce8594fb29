package dev.ssexporter.netlink.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@link InetAddress} of an address's bytes, remembered so that the many sockets of a dump
 * that share an address share one instance instead of each allocating a {@code byte[]} and an
 * address object. A host has few distinct local addresses and often few peers, so most lookups hit.
 *
 * <p>Direct-mapped and bounded: each key has one slot, chosen by a hash of its bytes, and a key that
 * lands on a taken slot replaces what was there. IPv4 and IPv6 have separate tables. An IPv4-mapped
 * IPv6 address ({@code ::ffff:a.b.c.d}) is the IPv4 address, the same instance as for the plain
 * IPv4 bytes. Addresses are immutable, so sharing them is safe; the cache itself is not thread-safe
 * and belongs to one {@link InetDiagParser}.
 */
final class AddressCache {
    /** Slots per family in the parser's cache. */
    static final int DEFAULT_SLOTS = 512;

    private final int shift;
    private final int[] v4Keys;
    private final InetAddress[] v4Values;
    private final long[] v6High;
    private final long[] v6Low;
    private final InetAddress[] v6Values;

    AddressCache() {
        this(DEFAULT_SLOTS);
    }

    /** A cache of {@code slots} entries per family, a power of two. */
    AddressCache(int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots " + slots + " is not a power of two");
        }
        shift = 32 - Integer.numberOfTrailingZeros(slots);
        v4Keys = new int[slots];
        v4Values = new InetAddress[slots];
        v6High = new long[slots];
        v6Low = new long[slots];
        v6Values = new InetAddress[slots];
    }

    /** The IPv4 address whose 4 bytes, in network order, are the int {@code bits}. */
    InetAddress v4(int bits) {
        int slot = slot(bits * 0x9E3779B9);
        InetAddress cached = v4Values[slot];
        if (cached != null && v4Keys[slot] == bits) {
            return cached;
        }
        InetAddress made = make(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8),
                (byte) bits});
        v4Keys[slot] = bits;
        v4Values[slot] = made;
        return made;
    }

    /**
     * The address whose 16 bytes, in network order, are the longs {@code high} then {@code low}:
     * the IPv4 address when they are IPv4-mapped, the IPv6 address otherwise.
     */
    InetAddress v6(long high, long low) {
        if (high == 0 && (low >>> 32) == 0xffffL) {
            return v4((int) low);
        }
        long h = (high * 0x9E3779B97F4A7C15L) ^ (low * 0xC2B2AE3D27D4EB4FL);
        int slot = slot((int) (h ^ (h >>> 32)));
        InetAddress cached = v6Values[slot];
        if (cached != null && v6High[slot] == high && v6Low[slot] == low) {
            return cached;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        InetAddress made = make(bytes);
        v6High[slot] = high;
        v6Low[slot] = low;
        v6Values[slot] = made;
        return made;
    }

    /** The top bits of a mixed hash; a shift of 32 (one slot) gives slot 0. */
    private int slot(int mixed) {
        return shift == 32 ? 0 : mixed >>> shift;
    }

    private static InetAddress make(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("an address of 4 or 16 bytes is always valid", e);
        }
    }
}
