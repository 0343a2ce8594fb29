package dev.ssexporter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // IPv4
        "0.0.0.0,                 0.0.0.0",
        "192.168.10.58,           192.168.10.58",
        "255.255.255.255,         255.255.255.255",
        // RFC 5952 4.1: leading zeros dropped
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:00aa:000b:0:0:0:1, 2001:db8:aa:b::1",
        // 4.2.1: :: shortens as much as possible
        "2001:db8:0:0:0:0:2:1,    2001:db8::2:1",
        // 4.2.2: a single 16-bit 0 field is not shortened
        "2001:db8:0:1:1:1:1:1,    2001:db8:0:1:1:1:1:1",
        // 4.2.3: the longest run is shortened; on a tie, the first
        "2001:0:0:1:0:0:0:1,      2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1,    2001:db8::1:0:0:1",
        // 4.3: lower case
        "2001:DB8::ABCD,          2001:db8::abcd",
        // edges: all zero, loopback, leading and trailing runs
        "::,                      ::",
        "::1,                     ::1",
        "1::,                     1::",
        "0:0:0:0:0:0:0:0,         ::",
        "fe80::,                  fe80::",
        "0:0:1::,                 0:0:1::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "1:0:2:0:3:0:4:0,         1:0:2:0:3:0:4:0",
        // IPv4-mapped is shown as IPv4; IPv4-compatible (deprecated) stays IPv6
        "::ffff:10.0.0.1,         10.0.0.1",
        "::ffff:0:0,              0.0.0.0",
        "::10.0.0.1,              ::a00:1",
        "64:ff9b::192.0.2.33,     64:ff9b::c000:221",
    })
    void formats(String literal, String expected) {
        InetAddress a = InetAddress.ofLiteral(literal);
        assertThat(AddressText.format(a)).isEqualTo(expected);
        assertThat(AddressText.appendTo(new StringBuilder("x="), a)).hasToString("x=" + expected);
    }

    @Test
    void mappedFromRawBytes() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, (byte) 168, 1, (byte) 200};
        assertThat(AddressText.format(mapped)).isEqualTo("192.168.1.200");
        byte[] almost = mapped.clone();
        almost[10] = 0;
        assertThat(AddressText.format(almost)).isEqualTo("::ff:c0a8:1c8");
    }

    @Test
    void appendsAfterTextEndingInAColon() {
        assertThat(AddressText.appendTo(new StringBuilder("a:"), InetAddress.ofLiteral("2001:db8::1")))
                .hasToString("a:2001:db8::1");
        assertThat(AddressText.appendTo(new StringBuilder("a:"), InetAddress.ofLiteral("::1"))).hasToString("a:::1");
    }

    @Test
    void rejectsOtherLengths() {
        assertThatThrownBy(() -> AddressText.format(new byte[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an IP address has 4 or 16 bytes, not 5");
    }

    @Test
    void neverResolves() {
        InetAddress named = InetAddress.ofLiteral("127.0.0.1");
        assertThat(AddressText.format(named)).isEqualTo("127.0.0.1");
    }
}
