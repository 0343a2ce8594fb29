package dev.ssexporter.core.engine;

import dev.ssexporter.core.signals.SignalValues;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The flows of one collection as {@link SocketStatsEngine} returns them in {@link Scrape#flows()}:
 * an immutable list, sorted by label ({@link FlowSample#LABEL_ORDER}) without two flows with the
 * same label, that keeps its flows as columns (one array of label bytes, one array per value) and
 * makes a {@link FlowSample} only when {@link #get} asks for one. A caller that writes many flows
 * reads the columns instead ({@link #rttMs(int)}, {@link #copyFlow}, ...) and makes no object per
 * flow.
 *
 * <p>Every label is ASCII without backslash, double quote or newline (addresses, ports and pids),
 * so its bytes are its UTF-8 and its byte order is {@link String#compareTo}'s. All flows have the
 * same {@link #netns()}.
 */
public final class FlowList extends AbstractList<FlowSample> implements RandomAccess {
    private final int size;
    private final byte[] bytes;
    private final int[] from;
    private final int[] to;
    private final double[] rttMs;
    private final long[] cwnd;
    private final long[] deliveryRate;
    private final long[] dataSegsIn;
    private final long[] dataSegsOut;
    private final int[] sockets;
    /** Null when no signal is on. */
    private final SignalValues[] signals;
    private final String netns;

    FlowList(int size, byte[] bytes, int[] from, int[] to, double[] rttMs, long[] cwnd, long[] deliveryRate,
             long[] dataSegsIn, long[] dataSegsOut, int[] sockets, SignalValues[] signals, String netns) {
        this.size = size;
        this.bytes = bytes;
        this.from = from;
        this.to = to;
        this.rttMs = rttMs;
        this.cwnd = cwnd;
        this.deliveryRate = deliveryRate;
        this.dataSegsIn = dataSegsIn;
        this.dataSegsOut = dataSegsOut;
        this.sockets = sockets;
        this.signals = signals;
        this.netns = Objects.requireNonNull(netns, "netns");
    }

    /** The first {@code n} flows, sharing this list's columns. */
    FlowList head(int n) {
        Objects.checkIndex(n, size + 1);
        return new FlowList(n, bytes, from, to, rttMs, cwnd, deliveryRate, dataSegsIn, dataSegsOut, sockets,
                signals, netns);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public FlowSample get(int i) {
        return new FlowSample(flow(i), rttMs(i), cwnd(i), deliveryRate(i), dataSegsIn(i), dataSegsOut(i),
                sockets(i), signals(i), netns);
    }

    /** Flow {@code i}'s {@code flow} label. */
    public String flow(int i) {
        Objects.checkIndex(i, size);
        return new String(bytes, from[i], to[i] - from[i], StandardCharsets.US_ASCII);
    }

    /** The length in bytes of flow {@code i}'s label. */
    public int flowLength(int i) {
        Objects.checkIndex(i, size);
        return to[i] - from[i];
    }

    /** Copies flow {@code i}'s label bytes to {@code dst} at {@code at}; returns the index after them. */
    public int copyFlow(int i, byte[] dst, int at) {
        int n = flowLength(i);
        System.arraycopy(bytes, from[i], dst, at, n);
        return at + n;
    }

    /** {@link FlowSample#rttMs()} of flow {@code i}. */
    public double rttMs(int i) {
        return rttMs[Objects.checkIndex(i, size)];
    }

    /** {@link FlowSample#cwnd()} of flow {@code i}. */
    public long cwnd(int i) {
        return cwnd[Objects.checkIndex(i, size)];
    }

    /** {@link FlowSample#deliveryRate()} of flow {@code i}. */
    public long deliveryRate(int i) {
        return deliveryRate[Objects.checkIndex(i, size)];
    }

    /** {@link FlowSample#dataSegsIn()} of flow {@code i}. */
    public long dataSegsIn(int i) {
        return dataSegsIn[Objects.checkIndex(i, size)];
    }

    /** {@link FlowSample#dataSegsOut()} of flow {@code i}. */
    public long dataSegsOut(int i) {
        return dataSegsOut[Objects.checkIndex(i, size)];
    }

    /** {@link FlowSample#sockets()} of flow {@code i}. */
    public int sockets(int i) {
        return sockets[Objects.checkIndex(i, size)];
    }

    /** {@link FlowSample#signals()} of flow {@code i}. */
    public SignalValues signals(int i) {
        Objects.checkIndex(i, size);
        return signals == null ? SignalValues.none() : signals[i];
    }

    /** The {@code netns} label of every flow; empty for none. */
    public String netns() {
        return netns;
    }
}
