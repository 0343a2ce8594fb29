package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TcpStateTest {

    @Test
    void parsesSsNamesAndEnumNamesInAnyCase() {
        assertThat(TcpState.parse("estab")).isEqualTo(TcpState.ESTABLISHED);
        assertThat(TcpState.parse("ESTABLISHED")).isEqualTo(TcpState.ESTABLISHED);
        assertThat(TcpState.parse("time-wait")).isEqualTo(TcpState.TIME_WAIT);
        assertThat(TcpState.parse("time_wait")).isEqualTo(TcpState.TIME_WAIT);
        assertThat(TcpState.parse(" Fin-Wait-1 ")).isEqualTo(TcpState.FIN_WAIT1);
        assertThat(TcpState.parse("fin_wait1")).isEqualTo(TcpState.FIN_WAIT1);
        assertThat(TcpState.parse("unconn")).isEqualTo(TcpState.CLOSE);
    }

    @Test
    void everyAcceptedNameParses() {
        for (String entry : TcpState.acceptedNames().split(", ")) {
            for (String name : entry.replace(")", "").split(" \\(")) {
                assertThat(TcpState.parse(name)).as(name).isNotNull();
            }
        }
    }

    @Test
    void anUnknownNameListsTheNamesUsersWrite() {
        assertThatThrownBy(() -> TcpState.parse("half-open"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown TCP state \"half-open\"; accepted, in any case: estab (established), syn-sent, "
                        + "syn-recv, fin-wait-1 (fin_wait1), fin-wait-2 (fin_wait2), time-wait, unconn (close), "
                        + "close-wait, last-ack, listen, closing, new-syn-recv, bound-inactive");
    }

    @Test
    void codesMasksAndTheConnectedSet() {
        for (TcpState s : TcpState.values()) {
            assertThat(TcpState.ofCode(s.code())).isEqualTo(s);
        }
        assertThatThrownBy(() -> TcpState.ofCode(14)).hasMessage("TCP state 14 is outside the kernel's range 1..13");
        assertThat(TcpState.mask(EnumSet.of(TcpState.ESTABLISHED, TcpState.LISTEN))).isEqualTo((1 << 1) | (1 << 10));
        assertThat(TcpState.connected()).contains(TcpState.ESTABLISHED, TcpState.SYN_SENT, TcpState.CLOSE_WAIT)
                .doesNotContain(TcpState.LISTEN, TcpState.TIME_WAIT, TcpState.CLOSE, TcpState.NEW_SYN_RECV);
    }
}
