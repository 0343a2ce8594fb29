package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowList;
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
        if (flows instanceof FlowList list) {
            return copyOf(list);
        }
        int n = flows.size();
        int[] ends = new int[n];
        // Each label value as UTF-8 once (a copy for the ASCII strings labels are made of), then
        // escaped while copied: the escaped characters are ASCII and never part of a multi-byte
        // sequence, so escaping the bytes equals escaping the string.
        byte[][] flowBytes = new byte[n][];
        long size = 0;
        for (int i = 0; i < n; i++) {
            FlowSample f = flows.get(i);
            flowBytes[i] = f.flow().getBytes(StandardCharsets.UTF_8);
            size += FLOW_START.length + escapedLength(flowBytes[i]) + 1;
            if (f.hasNetns()) {
                size += NETNS_START.length + escapedLength(f.netns().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the labels of " + n + " flows take " + size + " bytes, over 2 GiB");
        }
        byte[] buf = new byte[(int) size];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(FLOW_START, 0, buf, pos, FLOW_START.length);
            pos = putEscaped(buf, pos + FLOW_START.length, flowBytes[i]);
            FlowSample f = flows.get(i);
            if (f.hasNetns()) {
                System.arraycopy(NETNS_START, 0, buf, pos, NETNS_START.length);
                pos = putEscaped(buf, pos + NETNS_START.length, f.netns().getBytes(StandardCharsets.UTF_8));
            }
            buf[pos++] = '"';
            ends[i] = pos;
        }
        return new FlowLabels(buf, ends);
    }

    /**
     * The labels of an engine's flows, copied from its label bytes without a {@code String} per
     * flow and without escaping, which they never need ({@link FlowList}).
     */
    private static FlowLabels copyOf(FlowList list) {
        int n = list.size();
        byte[] netns = list.netns().isEmpty() ? null : list.netns().getBytes(StandardCharsets.UTF_8);
        int perFlow = FLOW_START.length + 1 + (netns == null ? 0 : NETNS_START.length + escapedLength(netns));
        long size = (long) perFlow * n;
        for (int i = 0; i < n; i++) {
            size += list.flowLength(i);
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the labels of " + n + " flows take " + size + " bytes, over 2 GiB");
        }
        byte[] buf = new byte[(int) size];
        int[] ends = new int[n];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(FLOW_START, 0, buf, pos, FLOW_START.length);
            pos = list.copyFlow(i, buf, pos + FLOW_START.length);
            if (netns != null) {
                System.arraycopy(NETNS_START, 0, buf, pos, NETNS_START.length);
                pos = putEscaped(buf, pos + NETNS_START.length, netns);
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

    /** The bytes {@link #putEscaped} writes for {@code utf8}. */
    private static int escapedLength(byte[] utf8) {
        int n = utf8.length;
        for (byte b : utf8) {
            if (b == '\\' || b == '"' || b == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Copies {@code utf8} to {@code buf} at {@code pos} with backslash, quote and newline escaped. */
    private static int putEscaped(byte[] buf, int pos, byte[] utf8) {
        int p = pos;
        int from = 0;
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b == '\\' || b == '"' || b == '\n') {
                System.arraycopy(utf8, from, buf, p, i - from);
                p += i - from;
                buf[p++] = '\\';
                buf[p++] = b == '\n' ? (byte) 'n' : b;
                from = i + 1;
            }
        }
        System.arraycopy(utf8, from, buf, p, utf8.length - from);
        return p + utf8.length - from;
    }
}
