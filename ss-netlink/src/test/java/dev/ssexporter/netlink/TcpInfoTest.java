package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpInfo} from the kernel's bytes ({@link TcpInfo#copyOf}) and from member values
 * ({@link TcpInfo#of(int, long[])}): the same members, the same absences, equal to each other.
 */
class TcpInfoTest {
    private static final TcpInfoField[] FIELDS = TcpInfoField.values();
    /** Linux 6.18 sends 280 bytes: 4 more than this class knows. */
    private static final int LINUX_6_18 = 280;

    /** The kernel's struct as a little-endian byte buffer, independent of the class under test. */
    private static ByteBuffer struct(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    /** What a member holds, decoded here by hand from the bytes. */
    private static long expected(byte[] bytes, TcpInfoField f) {
        ByteBuffer b = struct(bytes);
        long raw = switch (f.size()) {
            case 1 -> Byte.toUnsignedLong(b.get(f.offset()));
            case 2 -> Short.toUnsignedLong(b.getShort(f.offset()));
            case 4 -> Integer.toUnsignedLong(b.getInt(f.offset()));
            default -> b.getLong(f.offset());
        };
        return f.bitWidth() == 64 ? raw : (raw >>> f.bitShift()) & ((1L << f.bitWidth()) - 1);
    }

    private static byte[] random(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static long[] valuesOf(byte[] bytes, int length) {
        long[] values = new long[TcpInfo.presentCount(length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = expected(bytes, FIELDS[i]);
        }
        return values;
    }

    @Test
    void bytesDecodeToTheMembersAndEqualTheValuesBackedForm() {
        Random random = new Random(4);
        for (int round = 0; round < 200; round++) {
            int length = random.nextInt(LINUX_6_18 + 1);
            byte[] bytes = random(random, length);
            TcpInfo fromBytes = TcpInfo.copyOf(struct(bytes), 0, length);
            long[] values = valuesOf(bytes, length);
            TcpInfo fromValues = TcpInfo.of(length, values);
            TcpInfo fromReader = TcpInfo.of(length, f -> values[f.ordinal()]);

            for (TcpInfoField f : FIELDS) {
                if (f.ordinal() < values.length) {
                    assertThat(fromBytes.get(f)).as("%s of a %d-byte struct", f, length).isEqualTo(values[f.ordinal()]);
                    assertThat(fromValues.get(f)).as("%s of a %d-byte struct", f, length).isEqualTo(values[f.ordinal()]);
                }
            }
            assertThat(fromBytes).isEqualTo(fromValues).isEqualTo(fromReader)
                    .hasSameHashCodeAs(fromValues).hasToString(fromValues.toString());
            assertThat(fromBytes.length()).isEqualTo(fromValues.length()).isEqualTo(length);
        }
    }

    @Test
    void everyByteSetGivesTheLargestUnsignedValueOfEachMember() {
        byte[] ones = new byte[LINUX_6_18];
        Arrays.fill(ones, (byte) 0xff);
        TcpInfo info = TcpInfo.copyOf(struct(ones), 0, ones.length);

        assertThat(info.get(TcpInfoField.STATE)).isEqualTo(255);
        assertThat(info.get(TcpInfoField.SND_WSCALE)).isEqualTo(15);
        assertThat(info.get(TcpInfoField.RCV_WSCALE)).isEqualTo(15);
        assertThat(info.get(TcpInfoField.DELIVERY_RATE_APP_LIMITED)).isEqualTo(1);
        assertThat(info.get(TcpInfoField.FASTOPEN_CLIENT_FAIL)).isEqualTo(3);
        assertThat(info.get(TcpInfoField.TOTAL_RTO)).isEqualTo(65_535);
        assertThat(info.get(TcpInfoField.RTT)).isEqualTo(4_294_967_295L);
        assertThat(info.get(TcpInfoField.RECEIVED_CE_BYTES)).isEqualTo(4_294_967_295L);
        assertThat(info.get(TcpInfoField.BYTES_ACKED)).isEqualTo(-1L); // ~0ULL, as a long
    }

    @Test
    void bitFieldsSharingAByteAreEncodedAndDecodedApart() {
        long[] values = new long[TcpInfo.presentCount(TcpInfoField.KNOWN_SIZE)];
        values[TcpInfoField.SND_WSCALE.ordinal()] = 7;
        values[TcpInfoField.RCV_WSCALE.ordinal()] = 10;
        values[TcpInfoField.DELIVERY_RATE_APP_LIMITED.ordinal()] = 1;
        values[TcpInfoField.FASTOPEN_CLIENT_FAIL.ordinal()] = 2;
        TcpInfo info = TcpInfo.of(TcpInfoField.KNOWN_SIZE, values);

        assertThat(info.get(TcpInfoField.SND_WSCALE)).isEqualTo(7);
        assertThat(info.get(TcpInfoField.RCV_WSCALE)).isEqualTo(10);
        assertThat(info.get(TcpInfoField.DELIVERY_RATE_APP_LIMITED)).isEqualTo(1);
        assertThat(info.get(TcpInfoField.FASTOPEN_CLIENT_FAIL)).isEqualTo(2);
        byte[] kernel = new byte[TcpInfoField.KNOWN_SIZE];
        kernel[6] = (byte) 0xa7; // rcv_wscale 10 in the high nibble, snd_wscale 7 in the low
        kernel[7] = 0b101; // fastopen_client_fail 2 in bits 1-2, app_limited 1 in bit 0
        assertThat(TcpInfo.copyOf(struct(kernel), 0, kernel.length)).isEqualTo(info);
    }

    @Test
    void membersBeyondTheSentLengthAreAbsentAtEveryLength() {
        byte[] bytes = random(new Random(7), LINUX_6_18);
        for (int length = 0; length <= LINUX_6_18; length++) {
            TcpInfo info = TcpInfo.copyOf(struct(bytes), 0, length);
            assertThat(TcpInfo.presentCount(length)).isEqualTo((int) Arrays.stream(FIELDS)
                    .filter(f -> f.offset() + f.size() <= info.length()).count());
            for (TcpInfoField f : FIELDS) {
                boolean present = f.offset() + f.size() <= length;
                assertThat(info.has(f)).as("%s in %d bytes", f, length).isEqualTo(present);
                if (present) {
                    assertThat(info.get(f)).isEqualTo(expected(bytes, f));
                    assertThat(info.find(f)).hasValue(expected(bytes, f));
                    assertThat(info.getOrDefault(f, -7)).isEqualTo(expected(bytes, f));
                } else {
                    assertThat(info.find(f)).isEmpty();
                    assertThat(info.getOrDefault(f, -7)).isEqualTo(-7);
                }
            }
        }
    }

    @Test
    void absentMemberNamesItsOffsetAndTheSentLength() {
        TcpInfo info = TcpInfo.copyOf(struct(new byte[104]), 0, 104);
        assertThat(info.get(TcpInfoField.TOTAL_RETRANS)).isZero();
        assertThatThrownBy(() -> info.get(TcpInfoField.PACING_RATE))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("tcp_info member PACING_RATE at offset 104 lies beyond the 104 bytes the kernel sent");
    }

    @Test
    void copyOfReadsAtTheOffsetInNativeOrderAndKeepsItsOwnCopy() {
        byte[] struct = random(new Random(11), LINUX_6_18);
        byte[] framed = new byte[LINUX_6_18 + 20];
        System.arraycopy(struct, 0, framed, 12, struct.length);
        ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer buffer = ByteBuffer.wrap(framed).order(other).position(3);

        TcpInfo info = TcpInfo.copyOf(buffer, 12, struct.length);

        assertThat(info).isEqualTo(TcpInfo.of(struct.length, valuesOf(struct, struct.length)));
        assertThat(buffer.position()).isEqualTo(3);
        assertThat(buffer.order()).isEqualTo(other);
        long rtt = info.get(TcpInfoField.RTT);
        Arrays.fill(framed, (byte) 0);
        assertThat(info.get(TcpInfoField.RTT)).as("the copy does not follow its source").isEqualTo(rtt);
    }

    @Test
    void copyOfOutsideTheBufferFails() {
        ByteBuffer buffer = ByteBuffer.allocate(200);
        assertThatThrownBy(() -> TcpInfo.copyOf(buffer, 100, 104)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> TcpInfo.copyOf(buffer, -1, 104)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> TcpInfo.copyOf(buffer, 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tcp_info length -1 is negative");
    }

    @Test
    void equalityIsByLengthAndMemberValuesOnly() {
        byte[] bytes = random(new Random(13), LINUX_6_18);
        TcpInfo info = TcpInfo.copyOf(struct(bytes), 0, bytes.length);

        byte[] otherTail = bytes.clone();
        otherTail[277] ^= 0x55; // tcpi_accecn_*: beyond the known members
        otherTail[7] ^= (byte) 0xf8; // the bits of byte 7 no member names
        assertThat(TcpInfo.copyOf(struct(otherTail), 0, otherTail.length)).isEqualTo(info).hasSameHashCodeAs(info);

        byte[] otherRtt = bytes.clone();
        otherRtt[TcpInfoField.RTT.offset()] ^= 1;
        assertThat(TcpInfo.copyOf(struct(otherRtt), 0, otherRtt.length)).isNotEqualTo(info);
        assertThat(TcpInfo.copyOf(struct(bytes), 0, TcpInfoField.KNOWN_SIZE))
                .as("same members, another length").isNotEqualTo(info);
        assertThat(info).isNotEqualTo(null).isNotEqualTo("tcp_info");
    }

    @Test
    void valuesBackedFormKeepsItsOwnCopyOfTheValues() {
        long[] values = new long[TcpInfo.presentCount(104)];
        values[TcpInfoField.RTT.ordinal()] = 2178;
        TcpInfo info = TcpInfo.of(104, values);
        values[TcpInfoField.RTT.ordinal()] = 1;
        assertThat(info.get(TcpInfoField.RTT)).isEqualTo(2178);
        assertThat(info.toString()).startsWith("TcpInfo[length=104, state=0, ca_state=0,")
                .contains(", rtt=2178, ").endsWith(", total_retrans=0]");
    }

    @Test
    void valuesThatDoNotFitTheirMemberAreRejected() {
        int n = TcpInfo.presentCount(TcpInfoField.KNOWN_SIZE);
        long[] tooWide = new long[n];
        tooWide[TcpInfoField.RTT.ordinal()] = 1L << 32;
        assertThatThrownBy(() -> TcpInfo.of(TcpInfoField.KNOWN_SIZE, tooWide))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tcp_info member RTT is 32 bits wide, unsigned, but its value is 4294967296");
        assertThatThrownBy(() -> TcpInfo.of(TcpInfoField.KNOWN_SIZE, f -> f == TcpInfoField.SND_WSCALE ? 16 : 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tcp_info member SND_WSCALE is 4 bits wide, unsigned, but its value is 16");
        assertThatThrownBy(() -> TcpInfo.of(TcpInfoField.KNOWN_SIZE, f -> f == TcpInfoField.STATE ? -1 : 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tcp_info member STATE is 8 bits wide, unsigned, but its value is -1");
        assertThat(TcpInfo.of(TcpInfoField.KNOWN_SIZE, f -> f == TcpInfoField.BYTES_ACKED ? -1 : 0)
                .get(TcpInfoField.BYTES_ACKED)).as("a __u64 takes every long").isEqualTo(-1L);
    }

    @Test
    void valueCountMustMatchTheLength() {
        assertThatThrownBy(() -> TcpInfo.of(104, new long[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tcp_info of 104 bytes has 34 known members, but 3 values were given");
        assertThatThrownBy(() -> TcpInfo.of(-1, new long[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tcp_info length -1 is negative");
    }
}
