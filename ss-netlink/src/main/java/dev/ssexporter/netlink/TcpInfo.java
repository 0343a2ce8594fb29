package dev.ssexporter.netlink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
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
 *
 * <p>It keeps the struct's bytes, in the kernel's (native) byte order, and decodes a member when
 * it is asked for: a consumer reads a handful of the sixty members, so decoding them all up front
 * would be wasted. Two instances are equal when they have the same length and the same value for
 * every member, however they were built.
 */
public final class TcpInfo {
    private static final TcpInfoField[] FIELDS = TcpInfoField.values();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ORDER)
            .withInvokeExactBehavior();
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ORDER)
            .withInvokeExactBehavior();
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ORDER)
            .withInvokeExactBehavior();

    private final int length;
    /** The first {@code min(length, KNOWN_SIZE)} bytes of the struct: every member this class knows. */
    private final byte[] bytes;

    private TcpInfo(int length, byte[] bytes) {
        this.length = length;
        this.bytes = bytes;
    }

    /**
     * Builds a {@code TcpInfo} from the length the kernel sent and the values of the members that
     * fit in it, in {@link TcpInfoField} order.
     *
     * @param length the attribute payload length in bytes, at least 0
     * @param values one value per present member; members beyond {@code values.length} are absent
     * @throws IllegalArgumentException when {@code values} does not hold exactly the members that
     *     fit in {@code length}, or when a value does not fit its member's width, unsigned (a
     *     {@code __u32} member takes 0 to 4294967295; a {@code __u64} member takes any long)
     */
    public static TcpInfo of(int length, long[] values) {
        checkLength(length);
        int expected = presentCount(length);
        if (values.length != expected) {
            throw new IllegalArgumentException("tcp_info of " + length + " bytes has " + expected
                    + " known members, but " + values.length + " values were given");
        }
        return encode(length, i -> values[i]);
    }

    /**
     * Builds a {@code TcpInfo} of {@code length} bytes by asking {@code reader} for the value of
     * each member that fits in it, in {@link TcpInfoField} order.
     *
     * @param length the attribute payload length in bytes, at least 0
     * @param reader the unsigned value of a present member
     * @throws IllegalArgumentException when a value does not fit its member's width, unsigned
     */
    public static TcpInfo of(int length, ToLongFunction<TcpInfoField> reader) {
        checkLength(length);
        return encode(length, i -> reader.applyAsLong(FIELDS[i]));
    }

    /**
     * The {@code tcp_info} of {@code length} bytes at absolute index {@code offset} of
     * {@code buffer}, as the kernel sends it in an {@code INET_DIAG_INFO} attribute: native byte
     * order, whatever {@code buffer}'s own order. Copies the bytes of the members this class knows;
     * neither {@code buffer}'s position nor its limit changes.
     *
     * @param buffer holds the struct
     * @param offset index of the struct's first byte in {@code buffer}
     * @param length the attribute payload length in bytes, at least 0
     * @throws IndexOutOfBoundsException when the struct does not lie within {@code buffer}
     */
    public static TcpInfo copyOf(ByteBuffer buffer, int offset, int length) {
        checkLength(length);
        Objects.checkFromIndexSize(offset, length, buffer.limit());
        byte[] bytes = new byte[Math.min(length, TcpInfoField.KNOWN_SIZE)];
        buffer.get(offset, bytes, 0, bytes.length);
        return new TcpInfo(length, bytes);
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
        return field.presentIn(length);
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
        return read(field);
    }

    /** The value of {@code field}, or empty when the kernel did not send it. */
    public OptionalLong find(TcpInfoField field) {
        return has(field) ? OptionalLong.of(read(field)) : OptionalLong.empty();
    }

    /** The value of {@code field}, or {@code fallback} when the kernel did not send it. */
    public long getOrDefault(TcpInfoField field, long fallback) {
        return has(field) ? read(field) : fallback;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TcpInfo t) || t.length != length) {
            return false;
        }
        for (int i = 0, n = presentCount(length); i < n; i++) {
            if (t.read(FIELDS[i]) != read(FIELDS[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = length;
        for (int i = 0, n = presentCount(length); i < n; i++) {
            h = 31 * h + Long.hashCode(read(FIELDS[i]));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TcpInfo[length=").append(length);
        for (int i = 0, n = presentCount(length); i < n; i++) {
            sb.append(", ").append(FIELDS[i].name().toLowerCase(Locale.ROOT)).append('=').append(read(FIELDS[i]));
        }
        return sb.append(']').toString();
    }

    /** A present member, unsigned, widened to a long, a bit field shifted and masked. */
    private long read(TcpInfoField field) {
        int at = field.offset();
        long raw = switch (field.size()) {
            case 1 -> bytes[at] & 0xffL;
            case 2 -> (short) U16.get(bytes, at) & 0xffffL;
            case 4 -> (int) U32.get(bytes, at) & 0xffff_ffffL;
            default -> (long) U64.get(bytes, at);
        };
        int width = field.bitWidth();
        return width == 64 ? raw : (raw >>> field.bitShift()) & ((1L << width) - 1);
    }

    private static void checkLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("tcp_info length " + length + " is negative");
        }
    }

    /** The value of the member of ordinal {@code i}. */
    @FunctionalInterface
    private interface Values {
        long at(int i);
    }

    /** Lays the present members' values out as the kernel would, checking that each fits. */
    private static TcpInfo encode(int length, Values values) {
        byte[] bytes = new byte[Math.min(length, TcpInfoField.KNOWN_SIZE)];
        for (int i = 0, n = presentCount(length); i < n; i++) {
            TcpInfoField f = FIELDS[i];
            long v = values.at(i);
            int width = f.bitWidth();
            if (width < 64 && (v >>> width) != 0) {
                throw new IllegalArgumentException("tcp_info member " + f + " is " + width
                        + " bits wide, unsigned, but its value is " + v);
            }
            int at = f.offset();
            switch (f.size()) {
                case 1 -> bytes[at] |= (byte) (v << f.bitShift());
                case 2 -> U16.set(bytes, at, (short) v);
                case 4 -> U32.set(bytes, at, (int) v);
                default -> U64.set(bytes, at, v);
            }
        }
        return new TcpInfo(length, bytes);
    }
}
