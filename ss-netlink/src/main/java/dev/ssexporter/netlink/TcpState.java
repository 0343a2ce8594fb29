package dev.ssexporter.netlink;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * TCP states as numbered in the kernel's {@code include/net/tcp_states.h}, with the short names
 * {@code ss} prints.
 */
public enum TcpState {
    ESTABLISHED(1, "ESTAB"),
    SYN_SENT(2, "SYN-SENT"),
    SYN_RECV(3, "SYN-RECV"),
    FIN_WAIT1(4, "FIN-WAIT-1"),
    FIN_WAIT2(5, "FIN-WAIT-2"),
    TIME_WAIT(6, "TIME-WAIT"),
    CLOSE(7, "UNCONN"),
    CLOSE_WAIT(8, "CLOSE-WAIT"),
    LAST_ACK(9, "LAST-ACK"),
    LISTEN(10, "LISTEN"),
    CLOSING(11, "CLOSING"),
    NEW_SYN_RECV(12, "NEW-SYN-RECV"),
    BOUND_INACTIVE(13, "BOUND-INACTIVE");

    private static final TcpState[] BY_CODE = new TcpState[14];

    static {
        for (TcpState s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;
    private final String ssName;

    TcpState(int code, String ssName) {
        this.code = code;
        this.ssName = ssName;
    }

    /** The kernel's state number ({@code TCP_ESTABLISHED} = 1, ...). */
    public int code() {
        return code;
    }

    /** The name {@code ss} prints in its State column, e.g. {@code ESTAB}. */
    public String ssName() {
        return ssName;
    }

    /** The bit of this state in an inet_diag {@code idiag_states} mask. */
    public int maskBit() {
        return 1 << code;
    }

    /**
     * Maps a kernel state number to a state.
     *
     * @throws IllegalArgumentException for a number outside 1..13
     */
    public static TcpState ofCode(int code) {
        if (code <= 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("TCP state " + code + " is outside the kernel's range 1..13");
        }
        return BY_CODE[code];
    }

    /**
     * Parses a state name: the enum name ({@code ESTABLISHED}, {@code time_wait}), or the name
     * {@code ss} prints ({@code estab}, {@code time-wait}), case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static TcpState parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (TcpState s : values()) {
            if (s.name().equals(n) || s.ssName.equals(n) || s.name().replace('_', '-').equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown TCP state \"" + name + "\"; accepted, in any case: "
                + acceptedNames());
    }

    /**
     * The names {@link #parse} accepts, as users write them: the {@code ss} name, and the enum name
     * in brackets where it differs, e.g. {@code estab (established), syn-sent, ..., unconn (close)}.
     */
    public static String acceptedNames() {
        StringBuilder sb = new StringBuilder();
        for (TcpState s : values()) {
            String ss = s.ssName.toLowerCase(Locale.ROOT);
            String name = s.name().toLowerCase(Locale.ROOT);
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(ss);
            if (!name.replace('_', '-').equals(ss)) {
                sb.append(" (").append(name).append(')');
            }
        }
        return sb.toString();
    }

    /** The states of a connection that carries or can carry data: all but LISTEN, TIME_WAIT and CLOSE. */
    public static Set<TcpState> connected() {
        EnumSet<TcpState> s = EnumSet.allOf(TcpState.class);
        s.removeAll(EnumSet.of(LISTEN, TIME_WAIT, CLOSE, NEW_SYN_RECV, BOUND_INACTIVE));
        return s;
    }

    /** Bit mask of {@code states} for {@code inet_diag_req_v2.idiag_states}. */
    public static int mask(Set<TcpState> states) {
        int m = 0;
        for (TcpState s : states) {
            m |= s.maskBit();
        }
        return m;
    }
}
