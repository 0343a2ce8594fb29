package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowSample;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The label set of each flow, as the bytes the Prometheus text format writes between {@code {} and
 * {@code }}: {@code flow="(SRC#10.0.0.1|22)(DST#10.0.0.2|51000)"}, followed by
 * {@code ,netns="blue"} for a flow read from one of several network namespaces (client_java writes
 * labels in name order, and {@code flow < netns}). Encoded once per collection and
 * shared by every per-flow family of every scrape that exports that collection, so the labels are
 * escaped and turned into bytes once instead of once per family.
 *
 * <p>Escaping is client_java's: backslash, double quote and newline get a backslash; everything
 * else is written as UTF-8 (an unpaired surrogate as {@code ?}). {@link FlowTextWriter} checks at
 * start-up that client_java writes the same bytes for a sample flow.
 *
 * <p>All labels sit in one array, flow {@code i} from {@code ends[i - 1]} (0 for the first) to
 * {@code ends[i]}: two objects per collection instead of one per flow. Immutable once built.
 */
public final class FlowLabels {
    private static final byte[] FLOW_START = "flow=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NETNS_START = "\",netns=\"".getBytes(StandardCharsets.US_ASCII);

    private final byte[] bytes;
    private final int[] ends;

    private FlowLabels(byte[] bytes, int[] ends) {
        this.bytes = bytes;
        this.ends = ends;
    }

    /** The labels of {@code flows}, in their order. */
    public static FlowLabels of(List<FlowSample> flows) {
        int n = flows.size();
        int[] ends = new int[n];
        long size = 0;
        for (FlowSample f : flows) {
            size += FLOW_START.length + escapedLength(f.flow()) + 1;
            if (f.hasNetns()) {
                size += NETNS_START.length + escapedLength(f.netns());
            }
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the labels of " + n + " flows take " + size + " bytes, over 2 GiB");
        }
        byte[] buf = new byte[(int) size];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(FLOW_START, 0, buf, pos, FLOW_START.length);
            FlowSample f = flows.get(i);
            pos = putEscaped(buf, pos + FLOW_START.length, f.flow());
            if (f.hasNetns()) {
                System.arraycopy(NETNS_START, 0, buf, pos, NETNS_START.length);
                pos = putEscaped(buf, pos + NETNS_START.length, f.netns());
            }
            buf[pos++] = '"';
            ends[i] = pos;
        }
        return new FlowLabels(buf, ends);
    }

    /** How many flows. */
    public int size() {
        return ends.length;
    }

    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    int end(int i) {
        return ends[i];
    }

    /** The shared array; callers only read it. */
    byte[] bytes() {
        return bytes;
    }

    /** Flow {@code i}'s label bytes, for checks and tests. */
    byte[] label(int i) {
        return Arrays.copyOfRange(bytes, start(i), end(i));
    }

    /** The bytes {@link #putEscaped} writes for {@code s}. */
    private static int escapedLength(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return escape(s).getBytes(StandardCharsets.UTF_8).length;
            }
            if (c == '\\' || c == '"' || c == '\n') {
                n++;
            }
        }
        return n;
    }

    /** ASCII byte by byte; a value with any other character is escaped as a string and encoded. */
    private static int putEscaped(byte[] buf, int pos, String s) {
        int p = pos;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = escape(s).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, buf, pos, utf8.length);
                return pos + utf8.length;
            }
            switch (c) {
                case '\\' -> {
                    buf[p++] = '\\';
                    buf[p++] = '\\';
                }
                case '"' -> {
                    buf[p++] = '\\';
                    buf[p++] = '"';
                }
                case '\n' -> {
                    buf[p++] = '\\';
                    buf[p++] = 'n';
                }
                default -> buf[p++] = (byte) c;
            }
        }
        return p;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
