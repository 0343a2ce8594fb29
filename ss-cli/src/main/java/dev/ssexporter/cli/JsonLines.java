package dev.ssexporter.cli;

import dev.ssexporter.core.AddressText;
import dev.ssexporter.netlink.MemInfo;
import dev.ssexporter.netlink.SkMemInfo;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import java.util.Locale;

/**
 * Writes one {@link SocketRecord} as one line of JSON ({@code dump --json}, JSON Lines).
 *
 * <p>Keys are the record's component names in snake_case. Numbers are unsigned decimals as the
 * kernel holds them. Members the kernel did not send are left out, never written as zero:
 * {@code congestion}, {@code mem_info}, {@code sk_mem_info} and {@code tcp_info} when absent, the
 * {@code tcp_info} members beyond the length the kernel sent, and {@code backlog}/{@code drops} of a
 * short {@code sk_mem_info}. Addresses are text as {@link AddressText} writes them (an IPv4-mapped
 * IPv6 address as IPv4):
 *
 * <pre>{@code
 * {"family":"INET","state":"ESTABLISHED","local_address":"127.0.0.1","local_port":8020,
 *  "remote_address":"127.0.0.1","remote_port":43908,"interface_index":0,"cookie":4123,
 *  "inode":98765,"uid":1000,"rqueue":0,"wqueue":0,"timer":0,"retrans":0,"expires_millis":0,
 *  "congestion":"cubic","tcp_info":{"state":1,"ca_state":0,...,"rtt":38,...}}
 * }</pre>
 *
 * (one line in the output; wrapped here).
 */
final class JsonLines {
    private static final String[] TCP_INFO_KEYS = keys();

    private JsonLines() {}

    /** The JSON object for {@code socket}, without a line terminator. */
    static String line(SocketRecord socket) {
        StringBuilder sb = new StringBuilder(256);
        append(sb, socket);
        return sb.toString();
    }

    /** Appends the JSON object for {@code socket} to {@code sb}, without a line terminator. */
    static void append(StringBuilder sb, SocketRecord s) {
        Obj o = new Obj(sb);
        o.string("family", s.family().name());
        o.string("state", s.state().name());
        o.string("local_address", AddressText.format(s.localAddress()));
        o.number("local_port", s.localPort());
        o.string("remote_address", AddressText.format(s.remoteAddress()));
        o.number("remote_port", s.remotePort());
        o.number("interface_index", Integer.toUnsignedLong(s.interfaceIndex()));
        o.unsigned("cookie", s.cookie());
        o.unsigned("inode", s.inode());
        o.number("uid", Integer.toUnsignedLong(s.uid()));
        o.unsigned("rqueue", s.rqueue());
        o.unsigned("wqueue", s.wqueue());
        o.number("timer", s.timer());
        o.number("retrans", s.retrans());
        o.unsigned("expires_millis", s.expiresMillis());
        if (s.congestion() != null) {
            o.string("congestion", s.congestion());
        }
        if (s.memInfo() != null) {
            memInfo(o.object("mem_info"), s.memInfo());
        }
        if (s.skMemInfo() != null) {
            skMemInfo(o.object("sk_mem_info"), s.skMemInfo());
        }
        if (s.tcpInfo() != null) {
            tcpInfo(o.object("tcp_info"), s.tcpInfo());
        }
        o.end();
    }

    private static void memInfo(Obj o, MemInfo m) {
        o.unsigned("rmem", m.rmem());
        o.unsigned("wmem", m.wmem());
        o.unsigned("fmem", m.fmem());
        o.unsigned("tmem", m.tmem());
        o.end();
    }

    private static void skMemInfo(Obj o, SkMemInfo m) {
        o.unsigned("rmem_alloc", m.rmemAlloc());
        o.unsigned("rcv_buf", m.rcvBuf());
        o.unsigned("wmem_alloc", m.wmemAlloc());
        o.unsigned("snd_buf", m.sndBuf());
        o.unsigned("fwd_alloc", m.fwdAlloc());
        o.unsigned("wmem_queued", m.wmemQueued());
        o.unsigned("opt_mem", m.optMem());
        if (m.backlog() != -1) {
            o.unsigned("backlog", m.backlog());
        }
        if (m.drops() != -1) {
            o.unsigned("drops", m.drops());
        }
        o.end();
    }

    private static void tcpInfo(Obj o, TcpInfo info) {
        for (TcpInfoField f : TcpInfoField.values()) {
            if (info.has(f)) {
                o.unsigned(TCP_INFO_KEYS[f.ordinal()], info.get(f));
            }
        }
        o.end();
    }

    private static String[] keys() {
        TcpInfoField[] fields = TcpInfoField.values();
        String[] k = new String[fields.length];
        for (TcpInfoField f : fields) {
            k[f.ordinal()] = f.name().toLowerCase(Locale.ROOT);
        }
        return k;
    }

    /**
     * Appends {@code s} to {@code sb} as a JSON string: quoted, with {@code "} and {@code \} escaped,
     * control characters as {@code \n}, {@code \t}... or {@code \}{@code u00XX}, and unpaired
     * surrogates as {@code \}{@code uXXXX} so the output stays valid UTF-8.
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        unicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u");
        String hex = Integer.toHexString(c);
        sb.append("0".repeat(4 - hex.length())).append(hex);
    }

    /** A JSON object being written: members are separated by commas as they are appended. */
    private static final class Obj {
        private final StringBuilder sb;
        private boolean first = true;

        Obj(StringBuilder sb) {
            this.sb = sb;
            sb.append('{');
        }

        private void key(String name) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, name);
            sb.append(':');
        }

        void string(String name, String value) {
            key(name);
            quote(sb, value);
        }

        void number(String name, long value) {
            key(name);
            sb.append(value);
        }

        /** A kernel counter that is unsigned: a negative long is a value above 2^63. */
        void unsigned(String name, long value) {
            key(name);
            sb.append(Long.toUnsignedString(value));
        }

        Obj object(String name) {
            key(name);
            return new Obj(sb);
        }

        void end() {
            sb.append('}');
        }
    }
}
