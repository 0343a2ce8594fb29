package dev.ssexporter.core.folding;

import java.util.Arrays;

/**
 * A growing array of ASCII bytes that {@link LabelWriter} appends {@code flow} labels to, one
 * after the other (never a backslash, double quote or newline, which the text format would escape), so that a scrape's labels live in one array instead of one {@code String}
 * each. Not thread-safe.
 */
public final class LabelBuffer {
    private byte[] bytes;
    private int size;

    /** An empty buffer with room for {@code capacity} bytes before it grows. */
    public LabelBuffer(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        this.bytes = new byte[capacity];
    }

    /** The number of bytes appended and not {@linkplain #truncate truncated}. */
    public int size() {
        return size;
    }

    /** The backing array; bytes {@code [0, size())} are the content. It changes when the buffer grows. */
    public byte[] array() {
        return bytes;
    }

    /** Drops everything from {@code newSize} on. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IndexOutOfBoundsException("cannot truncate " + size + " bytes to " + newSize);
        }
        size = newSize;
    }

    /** The content from {@code from} to {@code to} as a string (the bytes are ASCII). */
    public String text(int from, int to) {
        return new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    /**
     * Appends {@code s}, whose characters must all be ASCII other than backslash, double quote and
     * newline, so that a label never needs escaping in the text format.
     *
     * @throws IllegalArgumentException for another character
     */
    void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0x7f || c == '\\' || c == '"' || c == '\n') {
                throw new IllegalArgumentException("a flow label is ASCII without backslash, double quote or"
                        + " newline, but \"" + s + "\" has U+" + Integer.toHexString(c));
            }
            bytes[size++] = (byte) c;
        }
    }

    /** Appends {@code v}, at least 0, in decimal. */
    void putDecimal(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative number " + v + " in a flow label");
        }
        int digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5 : 10;
        if (digits == 10) {
            putAscii(Integer.toString(v));
            return;
        }
        ensure(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size += digits;
    }

    private void ensure(int more) {
        if (more > bytes.length - size) {
            long want = Math.max((long) bytes.length * 2, (long) size + more);
            if ((long) size + more > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("flow labels of more than 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.min(want, Integer.MAX_VALUE - 16));
        }
    }
}
