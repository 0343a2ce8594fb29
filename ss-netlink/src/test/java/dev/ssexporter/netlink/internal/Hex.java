package dev.ssexporter.netlink.internal;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/** Annotated hex fixtures: pieces are concatenated, spaces ignored, and turned into a heap segment. */
final class Hex {
    private Hex() {}

    /** The bytes of {@code hex}; spaces and newlines are ignored. */
    static byte[] bytes(String hex) {
        String clean = hex.replaceAll("\\s+", "");
        if (clean.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + clean.length());
        }
        return HexFormat.of().parseHex(clean);
    }

    /** A 1-byte-aligned heap segment over the bytes of {@code hex}, as the parser tests need. */
    static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(bytes(hex));
    }

    /** The hex of a little-endian (native x86-64) {@code __u32}. */
    static String u32(long v) {
        return HexFormat.of().toHexDigits(Integer.reverseBytes((int) v));
    }
}
