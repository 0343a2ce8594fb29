package dev.ssexporter.netlink;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * An immutable copy of the {@code struct tcp_info} the kernel sent for one socket.
 *
 * <p>Kernels send the struct at the length they know. A member that lies beyond that length is
 * absent, not zero: {@link #has} tells, {@link #find} returns an empty optional, and {@link #get}
 * throws. A struct longer than {@link TcpInfoField#KNOWN_SIZE} (a newer kernel) is accepted; the
 * members this class does not know are ignored.
 *
 * <pre>{@code
 * TcpInfo info = socket.tcpInfo();
 * double rttMs = info.get(TcpInfoField.RTT) / 1000.0;
 * OptionalLong delivered = info.find(TcpInfoField.DELIVERED);
 * }</pre>
 */
public final class TcpInfo {
    private static final TcpInfoField[] FIELDS = TcpInfoField.values();

    private final int length;
    private final long[] values;

    private TcpInfo(int length, long[] values) {
        this.length = length;
        this.values = values;
    }

    /**
     * Builds a {@code TcpInfo} from the length the kernel sent and the values of the members that
     * fit in it, in {@link TcpInfoField} order.
     *
     * @param length the attribute payload length in bytes, at least 0
     * @param values one value per present member; members beyond {@code values.length} are absent
     * @throws IllegalArgumentException when {@code values} does not hold exactly the members that
     *     fit in {@code length}
     */
    public static TcpInfo of(int length, long[] values) {
        if (length < 0) {
            throw new IllegalArgumentException("tcp_info length " + length + " is negative");
        }
        int expected = presentCount(length);
        if (values.length != expected) {
            throw new IllegalArgumentException("tcp_info of " + length + " bytes has " + expected
                    + " known members, but " + values.length + " values were given");
        }
        return new TcpInfo(length, values.clone());
    }

    /**
     * Builds a {@code TcpInfo} of {@code length} bytes by asking {@code reader} for the value of
     * each member that fits in it, in {@link TcpInfoField} order. Unlike {@link #of(int, long[])}
     * this copies nothing, so a parser can fill it straight from the kernel's bytes.
     *
     * @param length the attribute payload length in bytes, at least 0
     * @param reader the unsigned value of a present member
     */
    public static TcpInfo of(int length, ToLongFunction<TcpInfoField> reader) {
        if (length < 0) {
            throw new IllegalArgumentException("tcp_info length " + length + " is negative");
        }
        long[] values = new long[presentCount(length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = reader.applyAsLong(FIELDS[i]);
        }
        return new TcpInfo(length, values);
    }

    /** Number of {@link TcpInfoField} members that fit in a struct of {@code length} bytes. */
    public static int presentCount(int length) {
        int n = 0;
        while (n < FIELDS.length && FIELDS[n].presentIn(length)) {
            n++;
        }
        return n;
    }

    /** The length in bytes of the struct the kernel sent. */
    public int length() {
        return length;
    }

    /** Whether the kernel sent {@code field}. */
    public boolean has(TcpInfoField field) {
        return field.ordinal() < values.length;
    }

    /**
     * The value of {@code field}, unsigned, widened to a long.
     *
     * @throws NoSuchElementException when the kernel's struct is too short to hold it
     */
    public long get(TcpInfoField field) {
        if (!has(field)) {
            throw new NoSuchElementException("tcp_info member " + field + " at offset " + field.offset()
                    + " lies beyond the " + length + " bytes the kernel sent");
        }
        return values[field.ordinal()];
    }

    /** The value of {@code field}, or empty when the kernel did not send it. */
    public OptionalLong find(TcpInfoField field) {
        return has(field) ? OptionalLong.of(values[field.ordinal()]) : OptionalLong.empty();
    }

    /** The value of {@code field}, or {@code fallback} when the kernel did not send it. */
    public long getOrDefault(TcpInfoField field, long fallback) {
        return has(field) ? values[field.ordinal()] : fallback;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpInfo t && t.length == length && Arrays.equals(t.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * length + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TcpInfo[length=").append(length);
        for (int i = 0; i < values.length; i++) {
            sb.append(", ").append(FIELDS[i].name().toLowerCase(java.util.Locale.ROOT)).append('=').append(values[i]);
        }
        return sb.append(']').toString();
    }
}
