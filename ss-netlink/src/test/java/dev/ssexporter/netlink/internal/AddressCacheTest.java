package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressCacheTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // a literal: no DNS lookup
    }

    private static int v4Bits(String literal) throws Exception {
        return ByteBuffer.wrap(ip(literal).getAddress()).getInt();
    }

    /** The address {@code literal} as the two big-endian longs of its 16 bytes. */
    private static long[] v6Words(String literal) throws Exception {
        byte[] sixteen = new byte[16];
        byte[] raw = ip(literal).getAddress();
        if (raw.length == 4) { // InetAddress turns ::ffff:a.b.c.d into IPv4; rebuild the mapped bytes
            sixteen[10] = (byte) 0xff;
            sixteen[11] = (byte) 0xff;
            System.arraycopy(raw, 0, sixteen, 12, 4);
        } else {
            sixteen = raw;
        }
        ByteBuffer b = ByteBuffer.wrap(sixteen);
        return new long[] {b.getLong(), b.getLong()};
    }

    @Test
    void ipv4IsMadeOnceAndSharedAfterwards() throws Exception {
        AddressCache cache = new AddressCache();
        InetAddress first = cache.v4(v4Bits("10.0.0.1"));
        assertThat(first).isInstanceOf(Inet4Address.class).isEqualTo(ip("10.0.0.1"));
        assertThat(cache.v4(v4Bits("10.0.0.1"))).isSameAs(first);
        assertThat(cache.v4(v4Bits("255.255.255.255"))).isEqualTo(ip("255.255.255.255"));
        assertThat(cache.v4(0)).isEqualTo(ip("0.0.0.0"));
    }

    @Test
    void ipv6IsMadeOnceAndSharedAfterwards() throws Exception {
        AddressCache cache = new AddressCache();
        long[] w = v6Words("2001:db8::42:1");
        InetAddress first = cache.v6(w[0], w[1]);
        assertThat(first).isInstanceOf(Inet6Address.class).isEqualTo(ip("2001:db8::42:1"));
        assertThat(cache.v6(w[0], w[1])).isSameAs(first);
        assertThat(cache.v6(0, 1)).isInstanceOf(Inet6Address.class).isEqualTo(ip("::1"));
        assertThat(cache.v6(0, 0)).isInstanceOf(Inet6Address.class).isEqualTo(ip("::"));
    }

    @Test
    void ipv4MappedIsTheIpv4AddressAndTheSameInstanceAsItsPlainBytes() throws Exception {
        AddressCache cache = new AddressCache();
        InetAddress plain = cache.v4(v4Bits("127.0.0.1"));
        long[] mapped = v6Words("::ffff:127.0.0.1");
        assertThat(cache.v6(mapped[0], mapped[1])).isInstanceOf(Inet4Address.class).isSameAs(plain);

        AddressCache mappedFirst = new AddressCache();
        InetAddress fromMapped = mappedFirst.v6(mapped[0], mapped[1]);
        assertThat(fromMapped).isEqualTo(ip("127.0.0.1"));
        assertThat(mappedFirst.v4(v4Bits("127.0.0.1"))).isSameAs(fromMapped);
    }

    @Test
    void nearlyMappedAddressesStayIpv6() throws Exception {
        AddressCache cache = new AddressCache();
        long[] compatible = v6Words("::7f00:1"); // the deprecated IPv4-compatible form, not mapped
        assertThat(cache.v6(compatible[0], compatible[1])).isInstanceOf(Inet6Address.class).isEqualTo(ip("::7f00:1"));
        long[] fffe = v6Words("::fffe:7f00:1");
        assertThat(cache.v6(fffe[0], fffe[1])).isInstanceOf(Inet6Address.class).isEqualTo(ip("::fffe:7f00:1"));
        long[] highSet = v6Words("1::ffff:7f00:1");
        assertThat(cache.v6(highSet[0], highSet[1])).isInstanceOf(Inet6Address.class).isEqualTo(ip("1::ffff:7f00:1"));
    }

    @Test
    void aCollisionReplacesTheSlotAndNeverAnswersWithTheWrongAddress() throws Exception {
        AddressCache one = new AddressCache(1); // every key collides
        InetAddress a = one.v4(v4Bits("10.0.0.1"));
        InetAddress b = one.v4(v4Bits("10.0.0.2"));
        assertThat(b).isEqualTo(ip("10.0.0.2"));
        InetAddress again = one.v4(v4Bits("10.0.0.1"));
        assertThat(again).isEqualTo(ip("10.0.0.1")).isEqualTo(a).isNotSameAs(a);

        long[] x = v6Words("fe80::1");
        long[] y = v6Words("fe80::2");
        long[] sameHigh = v6Words("fe80::1:0:0:1"); // differs only in the low word's high half
        assertThat(one.v6(x[0], x[1])).isEqualTo(ip("fe80::1"));
        assertThat(one.v6(y[0], y[1])).isEqualTo(ip("fe80::2"));
        assertThat(one.v6(sameHigh[0], sameHigh[1])).isEqualTo(ip("fe80::1:0:0:1"));
        assertThat(one.v6(x[0], x[1])).isEqualTo(ip("fe80::1"));
        assertThat(one.v4(v4Bits("10.0.0.1"))).as("IPv6 lookups leave the IPv4 table alone").isSameAs(again);
    }

    @Test
    void randomLookupsInASmallCacheAlwaysGiveTheAddressOfTheBytes() throws Exception {
        Random random = new Random(42);
        AddressCache cache = new AddressCache(8);
        int[] v4Pool = random.ints(40).toArray();
        long[][] v6Pool = new long[40][];
        for (int i = 0; i < v6Pool.length; i++) {
            v6Pool[i] = i % 5 == 0
                    ? new long[] {0, 0xffff_0000_0000L | Integer.toUnsignedLong(v4Pool[i])} // mapped
                    : new long[] {random.nextLong(), random.nextLong()};
        }
        for (int round = 0; round < 5_000; round++) {
            int v4 = v4Pool[random.nextInt(v4Pool.length)];
            assertThat(cache.v4(v4).getAddress()).isEqualTo(ByteBuffer.allocate(4).putInt(v4).array());
            long[] v6 = v6Pool[random.nextInt(v6Pool.length)];
            byte[] sixteen = ByteBuffer.allocate(16).putLong(v6[0]).putLong(v6[1]).array();
            assertThat(cache.v6(v6[0], v6[1])).isEqualTo(InetAddress.getByAddress(sixteen));
        }
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new AddressCache(0)).hasMessage("slots 0 is not a power of two");
        assertThatThrownBy(() -> new AddressCache(384)).hasMessage("slots 384 is not a power of two");
    }
}
