package dev.ssexporter.cli;

import dev.ssexporter.core.AddressText;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The aligned table {@code dump} prints, one socket per row, in the spirit of {@code ss -tin}:
 *
 * <pre>
 * State  Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  RTT ms  Cwnd  Delivery rate  Data segs in/out  Retrans  CC
 * ESTAB       0       0      127.0.0.1:8020    127.0.0.1:43908   0.038    10      1.2Gbps            12/15        0  cubic
 * ESTAB       0       0       [::1]:33412         [::1]:8020     0.051    10      830.9Mbps           3/4         0  cubic
 * </pre>
 *
 * <ul>
 *   <li>Addresses as {@link AddressText} writes them, IPv6 in brackets ({@code [::1]:8020}), port 0
 *       as {@code *}, a socket bound to an interface with {@code %name} after the address, as ss
 *       does.
 *   <li>RTT: {@code tcpi_rtt} in milliseconds, three decimals. Cwnd: {@code tcpi_snd_cwnd} in
 *       segments.
 *   <li>Delivery rate: {@code tcpi_delivery_rate} in bits per second with SI prefixes, as ss
 *       prints it ({@code 800bps}, {@code 12.5Kbps}, {@code 1.2Mbps}, {@code 9.9Gbps}).
 *   <li>Data segs in/out: {@code tcpi_data_segs_in/tcpi_data_segs_out}. Retrans:
 *       {@code tcpi_total_retrans}. CC: the congestion control algorithm.
 *   <li>{@code -} where the kernel sent no value: no {@code tcp_info} (TIME_WAIT, SYN_RECV), or a
 *       kernel too old for the field.
 * </ul>
 */
final class SocketTable {
    private static final String GAP = "  ";
    private static final String ABSENT = "-";

    private enum Align { LEFT, RIGHT }

    /**
     * One column. An endpoint is two: the host right-aligned, then {@code :} and the port
     * left-aligned, so the colons line up under the header's as in ss.
     */
    private record Column(String separator, String header, Align align) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("", "State", Align.LEFT),
            new Column(GAP, "Recv-Q", Align.RIGHT),
            new Column(GAP, "Send-Q", Align.RIGHT),
            new Column(GAP, "Local Address", Align.RIGHT),
            new Column(":", "Port", Align.LEFT),
            new Column(GAP, "Peer Address", Align.RIGHT),
            new Column(":", "Port", Align.LEFT),
            new Column(GAP, "RTT ms", Align.RIGHT),
            new Column(GAP, "Cwnd", Align.RIGHT),
            new Column(GAP, "Delivery rate", Align.RIGHT),
            new Column(GAP, "Data segs in/out", Align.RIGHT),
            new Column(GAP, "Retrans", Align.RIGHT),
            new Column(GAP, "CC", Align.LEFT));

    private static final char CELL_END = '\0';

    private final IntFunction<String> interfaceNames;
    private final int[] widths = new int[COLUMNS.size()];
    /** Every row's cells, each ended by {@link #CELL_END}: about 100 bytes a socket, not a record. */
    private final StringBuilder cells = new StringBuilder(4096);

    /**
     * An empty table.
     *
     * @param interfaceNames names an interface index, for sockets bound to an interface
     */
    SocketTable(IntFunction<String> interfaceNames) {
        this.interfaceNames = interfaceNames;
        String[] header = new String[COLUMNS.size()];
        for (int i = 0; i < header.length; i++) {
            header[i] = COLUMNS.get(i).header();
        }
        append(header);
    }

    /** Prints the header and one row per socket to {@code out}. */
    static void print(List<SocketRecord> sockets, IntFunction<String> interfaceNames, PrintWriter out) {
        SocketTable table = new SocketTable(interfaceNames);
        sockets.forEach(table::add);
        table.print(out);
    }

    /** Adds a row for {@code socket}; only its text is kept, so a dump can stream through. */
    void add(SocketRecord socket) {
        append(row(socket, interfaceNames));
    }

    private void append(String[] row) {
        for (int i = 0; i < row.length; i++) {
            String cell = row[i];
            widths[i] = Math.max(widths[i], cell.length());
            for (int c = 0; c < cell.length(); c++) {
                char ch = cell.charAt(c);
                cells.append(ch < 0x20 || ch == 0x7F ? '?' : ch);
            }
            cells.append(CELL_END);
        }
    }

    /** Prints the header and the rows added, aligned, without trailing blanks. */
    void print(PrintWriter out) {
        StringBuilder line = new StringBuilder(160);
        int column = 0;
        int cellStart = 0;
        for (int i = 0; i < cells.length(); i++) {
            if (cells.charAt(i) != CELL_END) {
                continue;
            }
            Column c = COLUMNS.get(column);
            line.append(c.separator());
            pad(line, cells, cellStart, i, widths[column], c.align());
            cellStart = i + 1;
            if (++column == COLUMNS.size()) {
                int end = line.length();
                while (end > 0 && line.charAt(end - 1) == ' ') {
                    end--;
                }
                line.setLength(end);
                out.append(line).append('\n');
                line.setLength(0);
                column = 0;
            }
        }
        out.flush();
    }

    private static String[] row(SocketRecord s, IntFunction<String> interfaceNames) {
        TcpInfo info = s.tcpInfo();
        String scope = s.interfaceIndex() == 0 ? "" : "%" + interfaceNames.apply(s.interfaceIndex());
        return new String[] {
            s.state().ssName(),
            Long.toUnsignedString(s.rqueue()),
            Long.toUnsignedString(s.wqueue()),
            host(s.localAddress()) + scope,
            port(s.localPort()),
            host(s.remoteAddress()),
            port(s.remotePort()),
            has(info, TcpInfoField.RTT) ? millis(info.get(TcpInfoField.RTT)) : ABSENT,
            has(info, TcpInfoField.SND_CWND) ? Long.toString(info.get(TcpInfoField.SND_CWND)) : ABSENT,
            has(info, TcpInfoField.DELIVERY_RATE) ? bitsPerSecond(info.get(TcpInfoField.DELIVERY_RATE)) : ABSENT,
            segments(info),
            has(info, TcpInfoField.TOTAL_RETRANS) ? Long.toString(info.get(TcpInfoField.TOTAL_RETRANS)) : ABSENT,
            s.congestion() == null ? ABSENT : s.congestion(),
        };
    }

    private static boolean has(TcpInfo info, TcpInfoField field) {
        return info != null && info.has(field);
    }

    private static String segments(TcpInfo info) {
        String in = has(info, TcpInfoField.DATA_SEGS_IN) ? Long.toString(info.get(TcpInfoField.DATA_SEGS_IN)) : ABSENT;
        String out = has(info, TcpInfoField.DATA_SEGS_OUT) ? Long.toString(info.get(TcpInfoField.DATA_SEGS_OUT)) : ABSENT;
        return in + "/" + out;
    }

    /** {@code 127.0.0.1}, {@code [::1]}: IPv6 in brackets so the port after it reads clearly. */
    static String host(InetAddress address) {
        String text = AddressText.format(address);
        return text.indexOf(':') >= 0 ? "[" + text + "]" : text;
    }

    /** The port, {@code *} for 0 (a listener's peer, an unbound socket). */
    static String port(int port) {
        return port == 0 ? "*" : Integer.toString(port);
    }

    /** Microseconds as milliseconds with three decimals: {@code 38} is {@code 0.038}. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    /** A rate in bytes per second, printed in bits per second as ss does ({@code sprint_bw}). */
    static String bitsPerSecond(long bytesPerSecond) {
        double bits = (bytesPerSecond < 0 ? Math.pow(2, 64) + bytesPerSecond : bytesPerSecond) * 8.0;
        if (bits > 1e9) {
            return String.format(Locale.ROOT, "%.1fGbps", bits / 1e9);
        } else if (bits > 1e6) {
            return String.format(Locale.ROOT, "%.1fMbps", bits / 1e6);
        } else if (bits > 1e3) {
            return String.format(Locale.ROOT, "%.1fKbps", bits / 1e3);
        }
        return (long) bits + "bps";
    }

    private static void pad(StringBuilder sb, CharSequence text, int from, int to, int width, Align align) {
        int gap = width - (to - from);
        if (align == Align.RIGHT) {
            sb.repeat(' ', gap).append(text, from, to);
        } else {
            sb.append(text, from, to).repeat(' ', gap);
        }
    }

    /** Names interfaces by index from the host's interface list, the index itself when unknown. */
    static IntFunction<String> systemInterfaceNames() {
        Map<Integer, String> cache = new HashMap<>();
        return index -> cache.computeIfAbsent(index, i -> {
            try {
                NetworkInterface nif = NetworkInterface.getByIndex(i);
                return nif == null ? Integer.toString(i) : nif.getName();
            } catch (SocketException e) {
                return Integer.toString(i);
            }
        });
    }
}
