package dev.ssexporter.core.engine;

import dev.ssexporter.core.folding.LabelBuffer;
import dev.ssexporter.core.folding.LabelWriter;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.signals.SignalAccumulator;
import dev.ssexporter.core.signals.SignalValues;
import dev.ssexporter.core.signals.TcpSignal;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import java.util.Arrays;
import java.util.Set;

/**
 * The flows of one collection while the dump streams in: one row per distinct label, combining
 * the sockets that share it as {@link FlowSample} documents.
 *
 * <p>Kept as columns, not objects: every label in one {@link LabelBuffer} (row {@code r}'s from
 * {@code starts[r]} to {@code starts[r + 1]}), the values in one primitive array each, and an
 * open-addressing hash table of row numbers to find a label's row. A socket whose label is
 * already there has its bytes dropped again. So a flow costs its label's bytes and a few dozen
 * bytes of arrays, and the garbage collector sees a dozen arrays, however many flows there are.
 * Used on one thread.
 */
final class FlowTable {
    private final LabelWriter writer;
    private final Set<TcpSignal> enabled;
    private final LabelBuffer labels;
    private int count;
    private int[] starts;
    private int[] hashes;
    private double[] rttSum;
    private long[] cwnd;
    private long[] deliveryRate;
    private long[] dataSegsIn;
    private long[] dataSegsOut;
    private int[] sockets;
    /** Null when no signal is on. */
    private SignalAccumulator[] signals;
    /** Row + 1 per slot, 0 for an empty slot; a power of two, at most half full. */
    private int[] slots;

    /**
     * @param expected flows expected (e.g. the previous scrape's); only sizes the first arrays
     * @param signals the opt-in signals to fold; empty for none
     */
    FlowTable(LabelWriter writer, Set<TcpSignal> signals, int expected) {
        this.writer = writer;
        this.enabled = signals;
        int capacity = Math.max(16, expected + expected / 8);
        this.labels = new LabelBuffer(capacity * 48);
        this.starts = new int[capacity + 1];
        this.hashes = new int[capacity];
        this.rttSum = new double[capacity];
        this.cwnd = new long[capacity];
        this.deliveryRate = new long[capacity];
        this.dataSegsIn = new long[capacity];
        this.dataSegsOut = new long[capacity];
        this.sockets = new int[capacity];
        this.signals = signals.isEmpty() ? null : new SignalAccumulator[capacity];
        this.slots = new int[Integer.highestOneBit(capacity * 2 - 1) << 1];
    }

    /** A collection without flows. */
    static FlowList empty(String netns) {
        return new FlowList(0, new byte[0], new int[0], new int[0], new double[0], new long[0], new long[0],
                new long[0], new long[0], new int[0], null, netns);
    }

    /** The number of flows so far. */
    int size() {
        return count;
    }

    /** Adds one socket with its {@code tcp_info} and its RTT in milliseconds to its flow. */
    void add(SocketRecord socket, ProcessTable procs, double rttMs, TcpInfo info) {
        int start = labels.size();
        writer.write(socket, procs, labels);
        int end = labels.size();
        byte[] bytes = labels.array();
        int hash = hash(bytes, start, end);
        int mask = slots.length - 1;
        int slot = hash & mask;
        int row;
        while (true) {
            int s = slots[slot];
            if (s == 0) {
                row = newRow(start, end, hash);
                slots[slot] = row + 1;
                break;
            }
            int r = s - 1;
            if (hashes[r] == hash && Arrays.equals(bytes, starts[r], starts[r + 1], bytes, start, end)) {
                labels.truncate(start);
                row = r;
                break;
            }
            slot = (slot + 1) & mask;
        }
        rttSum[row] += rttMs;
        cwnd[row] += info.getOrDefault(TcpInfoField.SND_CWND, 0);
        deliveryRate[row] += info.getOrDefault(TcpInfoField.DELIVERY_RATE, 0);
        dataSegsIn[row] += info.getOrDefault(TcpInfoField.DATA_SEGS_IN, 0);
        dataSegsOut[row] += info.getOrDefault(TcpInfoField.DATA_SEGS_OUT, 0);
        sockets[row]++;
        if (signals != null) {
            signals[row].add(info);
        }
        if (count * 2 > slots.length) {
            rehash();
        }
    }

    /**
     * The flows sorted by label ({@link LabelOrder}), their columns laid out in that order. The
     * list keeps this table's label bytes: the table is not used after this.
     *
     * @param netns every flow's {@code netns} label; empty for none
     */
    FlowList finish(String netns) {
        LabelOrder.Sorted sorted = LabelOrder.sort(labels.array(), starts, count);
        int[] order = sorted.order();
        SignalValues[] values = null;
        if (signals != null) {
            values = new SignalValues[count];
            for (int i = 0; i < count; i++) {
                values[i] = signals[order[i]].toValues();
            }
        }
        // Copies of exactly the flows' size: the table's own arrays, larger, are garbage from here.
        double[] rtt = new double[count];
        long[] cw = new long[count];
        long[] rate = new long[count];
        long[] in = new long[count];
        long[] out = new long[count];
        int[] n = new int[count];
        for (int i = 0; i < count; i++) {
            int r = order[i];
            rtt[i] = rttSum[r] / sockets[r];
            cw[i] = cwnd[r];
            rate[i] = deliveryRate[r];
            in[i] = dataSegsIn[r];
            out[i] = dataSegsOut[r];
            n[i] = sockets[r];
        }
        return new FlowList(count, labels.array(), sorted.from(), sorted.to(), rtt, cw, rate, in, out, n, values, netns);
    }

    private int newRow(int start, int end, int hash) {
        if (count == hashes.length) {
            grow();
        }
        int r = count++;
        starts[r] = start;
        starts[r + 1] = end;
        hashes[r] = hash;
        if (signals != null) {
            signals[r] = SignalAccumulator.of(enabled);
        }
        return r;
    }

    private void grow() {
        int capacity = hashes.length + (hashes.length >> 1) + 16;
        starts = Arrays.copyOf(starts, capacity + 1);
        hashes = Arrays.copyOf(hashes, capacity);
        rttSum = Arrays.copyOf(rttSum, capacity);
        cwnd = Arrays.copyOf(cwnd, capacity);
        deliveryRate = Arrays.copyOf(deliveryRate, capacity);
        dataSegsIn = Arrays.copyOf(dataSegsIn, capacity);
        dataSegsOut = Arrays.copyOf(dataSegsOut, capacity);
        sockets = Arrays.copyOf(sockets, capacity);
        if (signals != null) {
            signals = Arrays.copyOf(signals, capacity);
        }
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int r = 0; r < count; r++) {
            int slot = hashes[r] & mask;
            while (bigger[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = r + 1;
        }
        slots = bigger;
    }

    /** A hash of {@code bytes[from, to)}, its bits mixed so that similar labels spread over the slots. */
    private static int hash(byte[] bytes, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + bytes[i];
        }
        h ^= h >>> 16;
        h *= 0x85eb_ca6b;
        h ^= h >>> 13;
        h *= 0xc2b2_ae35;
        return h ^ (h >>> 16);
    }
}
