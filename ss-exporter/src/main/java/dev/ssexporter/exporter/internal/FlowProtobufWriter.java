package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowList;
import dev.ssexporter.core.engine.FlowSample;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the per-flow families of a scrape in the Prometheus protobuf format (length-delimited
 * {@code io.prometheus.client.MetricFamily} messages) straight from the {@link FlowSample}s, the
 * same bytes client_java's protobuf writer writes for the snapshots {@link ScrapeSnapshots} would
 * build, without holding a family in memory.
 *
 * <p>A family is one message: a varint length, the family's fields (name, help, type; taken from
 * client_java's own output for one sentinel flow at construction, as {@link FlowTextWriter} takes
 * its text), then one {@code metric} field per flow. A flow's metric is its label pairs
 * ({@code flow}, and {@code netns} when the flows carry one) and the value field holding one
 * {@code double}, so its size depends only on its labels: the length of the whole family is added
 * up in a first pass over the flows and the bytes are written in a second.
 *
 * <p>Construction fails with {@link IllegalStateException} when client_java's output does not
 * have that shape; the caller then keeps using client_java. Thread-safe: each {@link #write} call
 * has its own buffer.
 */
public final class FlowProtobufWriter implements FlowFamilyWriter {
    private static final String SENTINEL_NETNS = "ss-exporter-template-netns";
    private static final int BUFFER = 64 * 1024;
    /** Wire types and the field keys used here (field number << 3 | wire type). */
    private static final int LEN = 2;
    private static final int METRIC_KEY = 4 << 3 | LEN;
    private static final int LABEL_KEY = 1 << 3 | LEN;
    private static final int NAME_KEY = 1 << 3 | LEN;
    private static final int VALUE_KEY = 2 << 3 | LEN;
    private static final byte[] FLOW = "flow".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NETNS = "netns".getBytes(StandardCharsets.US_ASCII);
    /** A value field: its key, length 9, and the {@code double}'s key ({@code value = 1}, fixed64) and 8 bytes. */
    private static final int VALUE_FIELD_SIZE = 11;

    /**
     * @param fields the family's fields before its metrics (name, help, type)
     * @param after the family's fields after its metrics, if any (unit)
     * @param valueKey the key of the metric's value field: {@code gauge} or {@code counter}
     */
    private record Template(byte[] fields, byte[] after, int valueKey) {}

    private final Map<Family, Template> templates = new EnumMap<>(Family.class);

    private FlowProtobufWriter(ExpositionFormat format, EscapingScheme scheme) throws IOException {
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            Template plain = template(format, scheme, f, FlowValues.sentinel(""), false);
            Template withNetns = template(format, scheme, f, FlowValues.sentinel(SENTINEL_NETNS), true);
            if (!Arrays.equals(plain.fields, withNetns.fields) || !Arrays.equals(plain.after, withNetns.after)
                    || plain.valueKey != withNetns.valueKey) {
                throw new IllegalStateException("the netns label changes more than the labels of " + f.metricName());
            }
            templates.put(f, plain);
        }
    }

    /** Derives the templates from the output of {@code format}'s (protobuf) writer for {@code scheme}. */
    public static FlowProtobufWriter of(ExpositionFormat format, EscapingScheme scheme) {
        try {
            return new FlowProtobufWriter(format, scheme);
        } catch (IOException e) {
            throw new IllegalStateException("rendering the templates failed", e);
        }
    }

    /** Cuts client_java's message for one sentinel flow apart, checking every byte it does not keep. */
    private static Template template(ExpositionFormat format, EscapingScheme scheme, Family f, FlowSample sentinel,
                                     boolean netns) throws IOException {
        byte[] b = format.render(new MetricSnapshots(ScrapeSnapshots.flowFamily(f, List.of(sentinel))), scheme);
        Reader r = new Reader(b, f);
        long length = r.varint();
        r.expect(length == b.length - r.pos, "a message length of " + length + " for " + (b.length - r.pos) + " bytes");
        int fieldsStart = r.pos;
        int metricAt = -1;
        int metricEnd = -1;
        while (r.pos < b.length) {
            int at = r.pos;
            long key = r.varint();
            r.skip(key);
            if (key == METRIC_KEY) {
                r.expect(metricAt < 0, "one metric");
                metricAt = at;
                metricEnd = r.pos;
            } else {
                r.expect(metricAt < 0 || (key >>> 3) > 4, "the family's other fields before or after its metric");
            }
        }
        r.expect(metricAt >= 0, "a metric");
        byte[] expectedMetric = metric(sentinel.flow().getBytes(StandardCharsets.UTF_8),
                netns ? sentinel.netns().getBytes(StandardCharsets.UTF_8) : null, b[metricEnd - VALUE_FIELD_SIZE]);
        r.expect(Arrays.equals(b, metricAt, metricEnd, expectedMetric, 0, expectedMetric.length),
                "a metric of the flow's label pairs and one double");
        return new Template(Arrays.copyOfRange(b, fieldsStart, metricAt), Arrays.copyOfRange(b, metricEnd, b.length),
                b[metricEnd - VALUE_FIELD_SIZE]);
    }

    /** The metric field for one flow with value 0.0, as this class writes it. */
    private static byte[] metric(byte[] flow, byte[] netns, int valueKey) {
        byte[] out = new byte[BUFFER];
        int pos = putMetric(out, 0, flow, 0, flow.length, netns, valueKey, 0.0);
        return Arrays.copyOf(out, pos);
    }

    @Override
    public void write(OutputStream out, Family f, List<FlowSample> flows, FlowLabels labels) throws IOException {
        Template t = templates.get(f);
        if (t == null) {
            throw new IllegalArgumentException(f + " is not a per-flow family");
        }
        if (flows.isEmpty() || !FlowValues.any(f, flows)) {
            return;
        }
        Labels raw = new Labels(flows);
        long length = t.fields.length + t.after.length;
        for (int i = 0; i < flows.size(); i++) {
            if (FlowValues.has(f, flows, i)) {
                int m = metricSize(raw.length(i), raw.netns(i));
                length += 1 + varintSize(m) + m;
            }
        }
        byte[] buf = new byte[BUFFER];
        int pos = putVarint(buf, 0, length);
        System.arraycopy(t.fields, 0, buf, pos, t.fields.length);
        pos += t.fields.length;
        for (int i = 0; i < flows.size(); i++) {
            if (!FlowValues.has(f, flows, i)) {
                continue;
            }
            int label = raw.length(i);
            byte[] netns = raw.netns(i);
            int m = metricSize(label, netns);
            if (1 + 5 + m > BUFFER - pos) {
                out.write(buf, 0, pos);
                pos = 0;
            }
            if (1 + 5 + m > BUFFER) {
                // A label longer than the buffer (only ever seen in tests): a buffer of its own.
                byte[] one = new byte[1 + 5 + m];
                int n = putMetric(one, 0, raw.bytes(i), 0, label, netns, t.valueKey,
                        FlowValues.value(f, flows, i));
                out.write(one, 0, n);
            } else {
                pos = putMetric(buf, pos, raw.bytes(i), 0, label, netns, t.valueKey,
                        FlowValues.value(f, flows, i));
            }
        }
        out.write(buf, 0, pos);
        out.write(t.after);
    }

    /**
     * The raw (unescaped) UTF-8 label values of a list of flows, one at a time: an engine's list
     * shares one {@code netns} label, other lists (several namespaces merged) carry one per flow.
     */
    private static final class Labels {
        private final List<FlowSample> flows;
        private final FlowList list;
        private final byte[] listNetns;
        private byte[] scratch = new byte[256];
        private int encodedIndex = -1;
        private byte[] encodedBytes;
        private String lastNetns = "";
        private byte[] lastNetnsBytes;

        Labels(List<FlowSample> flows) {
            this.flows = flows;
            this.list = flows instanceof FlowList l ? l : null;
            this.listNetns = list == null || list.netns().isEmpty() ? null
                    : list.netns().getBytes(StandardCharsets.UTF_8);
        }

        /** Flow {@code i}'s label of a plain list in UTF-8, encoded once for its length and its bytes. */
        private byte[] encoded(int i) {
            if (encodedIndex != i) {
                encodedBytes = flows.get(i).flow().getBytes(StandardCharsets.UTF_8);
                encodedIndex = i;
            }
            return encodedBytes;
        }

        /** Flow {@code i}'s {@code netns} label value, or null for none. */
        byte[] netns(int i) {
            if (list != null) {
                return listNetns;
            }
            String ns = flows.get(i).netns();
            if (ns.isEmpty()) {
                return null;
            }
            if (!ns.equals(lastNetns)) {
                lastNetns = ns;
                lastNetnsBytes = ns.getBytes(StandardCharsets.UTF_8);
            }
            return lastNetnsBytes;
        }

        int length(int i) {
            return list != null ? list.flowLength(i) : encoded(i).length;
        }

        /** Flow {@code i}'s label from index 0; an array reused by the next call. */
        byte[] bytes(int i) {
            if (list == null) {
                return encoded(i);
            }
            if (list.flowLength(i) > scratch.length) {
                scratch = new byte[Math.max(list.flowLength(i), 2 * scratch.length)];
            }
            list.copyFlow(i, scratch, 0);
            return scratch;
        }
    }

    private static int pairSize(int nameLength, int valueLength) {
        int inner = 1 + varintSize(nameLength) + nameLength + 1 + varintSize(valueLength) + valueLength;
        return 1 + varintSize(inner) + inner;
    }

    private static int metricSize(int flowLength, byte[] netns) {
        return pairSize(FLOW.length, flowLength) + (netns == null ? 0 : pairSize(NETNS.length, netns.length))
                + VALUE_FIELD_SIZE;
    }

    /** Writes one metric field (key, length, label pairs, value) at {@code pos}; returns the position after it. */
    private static int putMetric(byte[] buf, int pos, byte[] flow, int flowStart, int flowLength, byte[] netns,
                                 int valueKey, double value) {
        buf[pos++] = (byte) METRIC_KEY;
        pos = putVarint(buf, pos, metricSize(flowLength, netns));
        pos = putPair(buf, pos, FLOW, flow, flowStart, flowLength);
        if (netns != null) {
            pos = putPair(buf, pos, NETNS, netns, 0, netns.length);
        }
        buf[pos++] = (byte) valueKey;
        buf[pos++] = 9;
        buf[pos++] = 1 << 3 | 1; // value = 1, fixed64
        long bits = Double.doubleToRawLongBits(value);
        for (int k = 0; k < 8; k++) {
            buf[pos++] = (byte) (bits >>> (8 * k));
        }
        return pos;
    }

    private static int putPair(byte[] buf, int pos, byte[] name, byte[] value, int valueStart, int valueLength) {
        buf[pos++] = (byte) LABEL_KEY;
        pos = putVarint(buf, pos, 1 + varintSize(name.length) + name.length + 1 + varintSize(valueLength) + valueLength);
        buf[pos++] = (byte) NAME_KEY;
        pos = putVarint(buf, pos, name.length);
        System.arraycopy(name, 0, buf, pos, name.length);
        pos += name.length;
        buf[pos++] = (byte) VALUE_KEY;
        pos = putVarint(buf, pos, valueLength);
        System.arraycopy(value, valueStart, buf, pos, valueLength);
        return pos + valueLength;
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    static int putVarint(byte[] buf, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return pos;
    }

    /** Reads client_java's template message, failing with what it expected. */
    private static final class Reader {
        private final byte[] b;
        private final Family family;
        int pos;

        Reader(byte[] b, Family family) {
            this.b = b;
            this.family = family;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                expect(pos < b.length, "a complete varint");
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw fail("a varint of at most 10 bytes");
        }

        /** Skips the value of a field with {@code key}. */
        void skip(long key) {
            switch ((int) (key & 7)) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    long n = varint();
                    expect(n <= b.length - pos, "a field that fits the message");
                    pos += (int) n;
                }
                case 5 -> pos += 4;
                default -> throw fail("wire types 0, 1, 2 or 5, not " + (key & 7));
            }
            expect(pos <= b.length, "a field that fits the message");
        }

        void expect(boolean ok, String what) {
            if (!ok) {
                throw fail(what);
            }
        }

        IllegalStateException fail(String what) {
            return new IllegalStateException("unexpected protobuf for " + family.metricName() + " at byte " + pos
                    + ": expected " + what);
        }
    }
}
