package dev.ssexporter.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortRangeTest {

    @Test
    void inclusiveOnBothEnds() {
        PortRange r = PortRange.of(80, 443);
        assertThat(r.contains(79)).isFalse();
        assertThat(r.contains(80)).isTrue();
        assertThat(r.contains(443)).isTrue();
        assertThat(r.contains(444)).isFalse();
        assertThat(PortRange.of(0, 65535).contains(0)).isTrue();
        assertThat(PortRange.of(0, 65535).contains(65535)).isTrue();
        assertThat(PortRange.of(5432, 5432).contains(5432)).isTrue();
    }

    @Test
    void text() {
        assertThat(PortRange.of(80, 443)).hasToString("80-443");
        assertThat(PortRange.of(22, 22)).hasToString("22");
    }

    @Test
    void rejectsInvalid() {
        assertThatThrownBy(() -> PortRange.of(-1, 5)).hasMessage("lower port -1 is outside 0..65535");
        assertThatThrownBy(() -> PortRange.of(1, 65536)).hasMessage("upper port 65536 is outside 0..65535");
        assertThatThrownBy(() -> PortRange.of(443, 80)).hasMessage("port range is inverted: lower 443 > upper 80");
    }
}
