package dev.ssexporter.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.1.2.3/0,      0.0.0.0/0",
        "200.1.2.3/1,     128.0.0.0/1",
        "255.255.255.255/7, 254.0.0.0/7",
        "10.1.2.3/8,      10.0.0.0/8",
        "10.255.2.3/9,    10.128.0.0/9",
        "192.168.1.255/31, 192.168.1.254/31",
        "192.168.1.255/32, 192.168.1.255/32",
        "192.168.1.7,     192.168.1.7/32",
        "2001:db8:ffff::1/0,   ::/0",
        "ffff::1/1,       8000::/1",
        "ffff::1/7,       fe00::/7",
        "fd12:3456::1/8,  fd00::/8",
        "fd80::1/9,       fd80::/9",
        "2001:db8:1:2:3:4:5:6/64,  2001:db8:1:2::/64",
        "2001:db8::ffff/127, 2001:db8::fffe/127",
        "2001:db8::ffff/128, 2001:db8::ffff/128",
        "2001:DB8::1,     2001:db8::1/128",
        "' 10.0.0.0/8 ',  10.0.0.0/8",
        "::ffff:10.1.2.3/104, 10.0.0.0/8",
        "::ffff:10.1.2.3, 10.1.2.3/32",
    })
    void parsesAndClearsHostBits(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
        assertThat(Cidr.parse(text)).isEqualTo(Cidr.parse(canonical));
    }

    @Test
    void prefixLengthAndFamily() {
        assertThat(Cidr.parse("10.0.0.0/8").prefixLength()).isEqualTo(8);
        assertThat(Cidr.parse("10.0.0.0/8").isIpv4()).isTrue();
        assertThat(Cidr.parse("fd00::/8").isIpv4()).isFalse();
        assertThat(Cidr.parse("::ffff:10.0.0.0/104").prefixLength()).isEqualTo(8);
        assertThat(Cidr.parse("::ffff:10.0.0.0/104").isIpv4()).isTrue();
    }

    @Test
    void ipv4Boundaries() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("255.255.255.255"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("0.0.0.0"))).isTrue();
        assertThat(Cidr.parse("128.0.0.0/1").contains(ip("128.0.0.0"))).isTrue();
        assertThat(Cidr.parse("128.0.0.0/1").contains(ip("127.255.255.255"))).isFalse();
        assertThat(Cidr.parse("254.0.0.0/7").contains(ip("255.1.1.1"))).isTrue();
        assertThat(Cidr.parse("254.0.0.0/7").contains(ip("253.255.255.255"))).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("10.255.255.255"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("11.0.0.0"))).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("9.255.255.255"))).isFalse();
        assertThat(Cidr.parse("10.128.0.0/9").contains(ip("10.128.0.0"))).isTrue();
        assertThat(Cidr.parse("10.128.0.0/9").contains(ip("10.127.255.255"))).isFalse();
        assertThat(Cidr.parse("192.168.1.254/31").contains(ip("192.168.1.254"))).isTrue();
        assertThat(Cidr.parse("192.168.1.254/31").contains(ip("192.168.1.255"))).isTrue();
        assertThat(Cidr.parse("192.168.1.254/31").contains(ip("192.168.1.253"))).isFalse();
        assertThat(Cidr.parse("192.168.1.7/32").contains(ip("192.168.1.7"))).isTrue();
        assertThat(Cidr.parse("192.168.1.7/32").contains(ip("192.168.1.6"))).isFalse();
    }

    @Test
    void ipv6Boundaries() {
        assertThat(Cidr.parse("::/0").contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(Cidr.parse("8000::/1").contains(ip("8000::"))).isTrue();
        assertThat(Cidr.parse("8000::/1").contains(ip("7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isFalse();
        assertThat(Cidr.parse("fe00::/7").contains(ip("fe80::1"))).isTrue();
        assertThat(Cidr.parse("fe00::/7").contains(ip("fc00::1"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(ip("fdff:ffff::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(ip("fe00::"))).isFalse();
        assertThat(Cidr.parse("fd80::/9").contains(ip("fd80::"))).isTrue();
        assertThat(Cidr.parse("fd80::/9").contains(ip("fd7f:ffff::"))).isFalse();
        assertThat(Cidr.parse("2001:db8:1:2::/64").contains(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(Cidr.parse("2001:db8:1:2::/64").contains(ip("2001:db8:1:3::"))).isFalse();
        assertThat(Cidr.parse("2001:db8::fffe/127").contains(ip("2001:db8::ffff"))).isTrue();
        assertThat(Cidr.parse("2001:db8::fffe/127").contains(ip("2001:db8::fffd"))).isFalse();
        assertThat(Cidr.parse("2001:db8::1/128").contains(ip("2001:db8::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::1/128").contains(ip("2001:db8::2"))).isFalse();
    }

    @Test
    void familiesDoNotMix() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("10.0.0.1"))).as("::/0 means every IPv6 peer").isFalse();
    }

    @Test
    void ipv4NetworkContainsV4MappedAddresses() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3};
        Cidr net = Cidr.parse("10.0.0.0/8");
        assertThat(net.contains(mapped)).isTrue();
        mapped[12] = 11;
        assertThat(net.contains(mapped)).isFalse();
        byte[] compatible = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 1, 2, 3};
        assertThat(net.contains(compatible)).as("::10.1.2.3 is not mapped").isFalse();
        assertThat(ip("::ffff:10.1.2.3")).isInstanceOf(Inet4Address.class);
        assertThat(net.contains(ip("::ffff:10.1.2.3"))).isTrue();
    }

    @Test
    void hostNetwork() {
        assertThat(Cidr.host(ip("10.1.2.3"))).hasToString("10.1.2.3/32");
        assertThat(Cidr.host(ip("2001:db8::1"))).hasToString("2001:db8::1/128");
    }

    @Test
    void prefixTooLong() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix length 33 exceeds 32 for IPv4 in \"10.0.0.0/33\"");
        assertThatThrownBy(() -> Cidr.parse("fd00::/129"))
                .hasMessage("prefix length 129 exceeds 128 for IPv6 in \"fd00::/129\"");
        assertThatThrownBy(() -> Cidr.parse("::ffff:10.0.0.0/129"))
                .hasMessage("prefix length 129 exceeds 128 for IPv6 in \"::ffff:10.0.0.0/129\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/|invalid prefix length \"\" in \"10.0.0.0/\"",
        "10.0.0.0/-1|invalid prefix length \"-1\" in \"10.0.0.0/-1\"",
        "10.0.0.0/8a|invalid prefix length \"8a\" in \"10.0.0.0/8a\"",
        "10.0.0.0/0008|invalid prefix length \"0008\" in \"10.0.0.0/0008\"",
        "10.0.0.0/\u0668|invalid prefix length \"\u0668\" in \"10.0.0.0/\u0668\"",
        "/8|empty address in \"/8\"",
        "10/8|\"10/8\" is not a dotted-quad IPv4 address (a.b.c.d)",
        "10.1/16|\"10.1/16\" is not a dotted-quad IPv4 address (a.b.c.d)",
        "1.2.3/24|\"1.2.3/24\" is not a dotted-quad IPv4 address (a.b.c.d)",
        "example.com/8|\"example.com/8\" is not an IPv4 or IPv6 address",
        "10.0.0.256/8|\"10.0.0.256/8\" is not an IPv4 or IPv6 address",
        "fe80::1%eth0/64|\"fe80::1%eth0/64\": zone indexes (%...) are not supported",
        "fd00:::1/8|\"fd00:::1/8\" is not an IPv4 or IPv6 address",
    })
    void rejectsWithAClearMessage(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void parseAddress() {
        assertThat(Cidr.parseAddress(" 8.8.8.8 ")).isEqualTo(ip("8.8.8.8"));
        assertThat(Cidr.parseAddress("::ffff:1.1.1.1")).isInstanceOf(Inet4Address.class).isEqualTo(ip("1.1.1.1"));
        assertThatThrownBy(() -> Cidr.parseAddress("8.8"))
                .hasMessage("\"8.8\" is not a dotted-quad IPv4 address (a.b.c.d)");
    }

    @Test
    void equalsAndHashCode() {
        assertThat(Cidr.parse("10.9.9.9/8")).isEqualTo(Cidr.parse("10.0.0.0/8"))
                .hasSameHashCodeAs(Cidr.parse("10.0.0.0/8"))
                .isNotEqualTo(Cidr.parse("10.0.0.0/9"));
    }
}
