package dev.ssexporter.exporter.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes sample values as ASCII bytes exactly as client_java's text format writes them
 * ({@link Double#toString(double)}, {@code +Inf} and {@code -Inf}), without a {@code String}
 * for the values a scrape is made of.
 *
 * <p>Two cases are written digit by digit, both where the shortest decimal is known without
 * searching for it:
 * <ul>
 *   <li>a {@code long} of magnitude below 2<sup>53</sup>, which the {@code double} holds exactly:
 *       {@code 42.0} below 10<sup>7</sup>, {@code 1.2345678E7} from there on;
 *   <li>a {@code double} that is a whole number of thousandths between 10<sup>-3</sup> and
 *       10<sup>7</sup> (an RTT in microseconds divided by 1000): {@code 53.376}, {@code 0.038}.
 *       Doubles that close together are more than a thousandth apart from no other such value,
 *       so that decimal is the shortest one that reads back as the same double.
 * </ul>
 * Everything else goes through {@link Double#toString(double)}.
 */
final class NumberText {
    /** Most bytes one value takes: {@code Double.toString} never writes more than 24 chars. */
    static final int MAX_LENGTH = 26;
    /** {@link Double#toString(double)} writes {@code |d| < 10^7} without an exponent. */
    private static final long PLAIN_LIMIT = 10_000_000L;
    private static final long EXACT_LIMIT = 1L << 53;
    private static final byte[] POSITIVE_INFINITY = {'+', 'I', 'n', 'f'};
    private static final byte[] NEGATIVE_INFINITY = {'-', 'I', 'n', 'f'};
    /** 10<sup>0</sup> to 10<sup>18</sup>, every power of ten a {@code long} holds. */
    private static final long[] POWERS_OF_TEN = powersOfTen();
    /** "00" to "99": the two ASCII digits of {@code i} at {@code 2i} and {@code 2i + 1}. */
    private static final byte[] DIGIT_PAIRS = digitPairs();

    private NumberText() {}

    /**
     * Writes {@code Double.toString((double) v)} at {@code pos}; {@code buf} must have
     * {@link #MAX_LENGTH} bytes free there.
     *
     * @return the position after the last byte written
     */
    static int putLongAsDouble(byte[] buf, int pos, long v) {
        if (v <= -EXACT_LIMIT || v >= EXACT_LIMIT) {
            return putAscii(buf, pos, Double.toString((double) v));
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        if (v < PLAIN_LIMIT) {
            pos = putDigits(buf, pos, v);
            buf[pos++] = '.';
            buf[pos++] = '0';
            return pos;
        }
        // d.dddE<n>: the digits without trailing zeros, at least one after the point.
        int exponent = digitCount(v) - 1;
        long significand = v;
        while (significand % 10 == 0) {
            significand /= 10;
        }
        int start = pos;
        pos = putDigits(buf, pos + 1, significand);
        buf[start] = buf[start + 1];
        buf[start + 1] = '.';
        if (pos == start + 2) {
            buf[pos++] = '0';
        }
        buf[pos++] = 'E';
        return putDigits(buf, pos, exponent);
    }

    /**
     * Writes what client_java writes for {@code d} at {@code pos}; {@code buf} must have
     * {@link #MAX_LENGTH} bytes free there.
     *
     * @return the position after the last byte written
     */
    static int putDouble(byte[] buf, int pos, double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return put(buf, pos, POSITIVE_INFINITY);
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return put(buf, pos, NEGATIVE_INFINITY);
        }
        double magnitude = Math.abs(d);
        if (magnitude >= 1e-3 && magnitude < PLAIN_LIMIT) {
            long thousandths = Math.round(magnitude * 1000);
            if (thousandths / 1000.0 == magnitude) {
                if (d < 0) {
                    buf[pos++] = '-';
                }
                pos = putDigits(buf, pos, thousandths / 1000);
                buf[pos++] = '.';
                int fraction = (int) (thousandths % 1000);
                if (fraction == 0) {
                    buf[pos++] = '0';
                    return pos;
                }
                buf[pos++] = (byte) ('0' + fraction / 100);
                if (fraction % 100 != 0) {
                    buf[pos++] = (byte) ('0' + fraction / 10 % 10);
                    if (fraction % 10 != 0) {
                        buf[pos++] = (byte) ('0' + fraction % 10);
                    }
                }
                return pos;
            }
        }
        return putAscii(buf, pos, Double.toString(d));
    }

    /** The decimal digits of {@code v >= 0}, two at a time from the last. */
    private static int putDigits(byte[] buf, int pos, long v) {
        int end = pos + digitCount(v);
        int p = end;
        while (v >= 100) {
            int pair = (int) (v % 100) * 2;
            v /= 100;
            buf[--p] = DIGIT_PAIRS[pair + 1];
            buf[--p] = DIGIT_PAIRS[pair];
        }
        if (v >= 10) {
            buf[--p] = DIGIT_PAIRS[(int) v * 2 + 1];
            buf[--p] = DIGIT_PAIRS[(int) v * 2];
        } else {
            buf[--p] = (byte) ('0' + v);
        }
        return end;
    }

    /**
     * How many decimal digits {@code v >= 0} has: log<sub>10</sub> estimated from the bit length
     * ({@code 1233 / 4096} is just below log<sub>10</sub>2), then corrected by one comparison.
     */
    static int digitCount(long v) {
        int bits = 63 - Long.numberOfLeadingZeros(v | 1);
        int digits = ((bits * 1233) >>> 12) + 1;
        return digits < POWERS_OF_TEN.length && v >= POWERS_OF_TEN[digits] ? digits + 1 : digits;
    }

    private static long[] powersOfTen() {
        long[] powers = new long[19];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }

    private static byte[] digitPairs() {
        byte[] pairs = new byte[200];
        for (int i = 0; i < 100; i++) {
            pairs[2 * i] = (byte) ('0' + i / 10);
            pairs[2 * i + 1] = (byte) ('0' + i % 10);
        }
        return pairs;
    }

    private static int put(byte[] buf, int pos, byte[] bytes) {
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        return pos + bytes.length;
    }

    private static int putAscii(byte[] buf, int pos, String s) {
        for (int i = 0; i < s.length(); i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
        return pos;
    }

    /** For tests: the bytes {@link #putDouble} writes, as a string. */
    static String doubleText(double d) {
        byte[] buf = new byte[MAX_LENGTH];
        return new String(Arrays.copyOf(buf, putDouble(buf, 0, d)), StandardCharsets.US_ASCII);
    }

    /** For tests: the bytes {@link #putLongAsDouble} writes, as a string. */
    static String longText(long v) {
        byte[] buf = new byte[MAX_LENGTH];
        return new String(Arrays.copyOf(buf, putLongAsDouble(buf, 0, v)), StandardCharsets.US_ASCII);
    }
}
