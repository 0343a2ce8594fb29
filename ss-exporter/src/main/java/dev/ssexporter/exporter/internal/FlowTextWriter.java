package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowList;
import dev.ssexporter.core.engine.FlowSample;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the per-flow families of a scrape in a {@link ExpositionFormat} (the Prometheus text format or
 * OpenMetrics) straight from the {@link FlowSample}s into a stream, without building client_java
 * snapshots: the same bytes client_java's writer for that format writes for the snapshots
 * {@link ScrapeSnapshots} would build, at a fraction of the memory and CPU.
 *
 * <p>A sample line is four parts, {@code tcp_rtt{} + {@code flow="..."} + <code>} </code> + the
 * value and a newline:
 * <ul>
 *   <li>the family's fixed parts, its {@code # HELP} and {@code # TYPE} lines (in the format's
 *       order) and the sample prefix up to the <code>{</code>, are not spelled out here but taken
 *       from client_java itself: at construction each family is rendered once, by the format's
 *       writer, with one sentinel flow ({@link FlowValues#sentinel}), and cut apart. The
 *       sentinel's label bytes must be exactly what {@link FlowLabels} encodes, or construction
 *       fails and the caller keeps using client_java;
 *   <li>the labels come from {@link FlowLabels}, encoded once per collection and copied here as
 *       bytes for every family;
 *   <li>the value is written by {@link NumberText} as client_java formats it.
 * </ul>
 *
 * <p>A new per-flow family needs a case in {@link #putValue}; a new label, a change in
 * {@link FlowLabels} only.
 *
 * <p>Stateless and thread-safe: each {@link #write} call has its own buffer.
 */
public final class FlowTextWriter implements FlowFamilyWriter {
    private static final byte[] SAMPLE_END = "} 0.0\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 64 * 1024;

    private final Map<Family, Template> templates = new EnumMap<>(Family.class);

    private record Template(byte[] header, byte[] samplePrefix) {}

    private FlowTextWriter(ExpositionFormat format, EscapingScheme scheme) throws IOException {
        FlowSample sentinel = FlowValues.sentinel("");
        byte[] labels = FlowLabels.of(List.of(sentinel)).label(0);
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            MetricSnapshot snapshot = ScrapeSnapshots.flowFamily(f, List.of(sentinel));
            byte[] text = format.render(new MetricSnapshots(snapshot), scheme);
            // ... "\n" <prefix ending in "{"> <labels> "} 0.0\n"
            int labelsAt = text.length - SAMPLE_END.length - labels.length;
            int lineStart = lastIndexOf(text, (byte) '\n', labelsAt - 1) + 1;
            if (labelsAt <= 0 || lineStart <= 0 || text[labelsAt - 1] != '{' || text[0] != '#'
                    || !Arrays.equals(text, labelsAt, text.length - SAMPLE_END.length, labels, 0, labels.length)
                    || !Arrays.equals(text, text.length - SAMPLE_END.length, text.length, SAMPLE_END, 0,
                            SAMPLE_END.length)) {
                throw new IllegalStateException("unexpected " + format + " text for " + f.metricName() + ": "
                        + new String(text, StandardCharsets.UTF_8));
            }
            templates.put(f, new Template(Arrays.copyOf(text, lineStart), Arrays.copyOfRange(text, lineStart, labelsAt)));
        }
    }

    private static int lastIndexOf(byte[] a, byte b, int from) {
        for (int i = Math.min(from, a.length - 1); i >= 0; i--) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Derives the templates from the output of {@code format}'s writer for {@code scheme}.
     *
     * @throws IllegalStateException when client_java's output does not have the expected shape
     */
    public static FlowTextWriter of(ExpositionFormat format, EscapingScheme scheme) {
        try {
            return new FlowTextWriter(format, scheme);
        } catch (IOException e) {
            throw new IllegalStateException("rendering the templates failed", e);
        }
    }

    /** {@link #write(OutputStream, Family, List, FlowLabels)}, encoding the labels for this call. */
    public void write(OutputStream out, Family f, List<FlowSample> flows) throws IOException {
        write(out, f, flows, FlowLabels.of(flows));
    }

    /**
     * Writes family {@code f} for {@code flows}, which must be sorted by label, without
     * duplicates (see {@link ScrapeSnapshots#sortedFlows}); nothing for no flows, as client_java
     * writes nothing for a family without data points. An opt-in signal family skips the flows
     * that lack the signal, as {@link SignalSnapshots} does. Does not flush or close {@code out}.
     *
     * @param labels {@code FlowLabels.of(flows)}
     */
    @Override
    public void write(OutputStream out, Family f, List<FlowSample> flows, FlowLabels labels) throws IOException {
        Template t = templates.get(f);
        if (t == null) {
            throw new IllegalArgumentException(f + " is not a per-flow family");
        }
        if (labels.size() != flows.size()) {
            throw new IllegalArgumentException(labels.size() + " label sets for " + flows.size() + " flows");
        }
        FlowList list = flows instanceof FlowList l ? l : null;
        if (flows.isEmpty() || !FlowValues.any(f, flows)) {
            return;
        }
        byte[] prefix = t.samplePrefix;
        byte[] all = labels.bytes();
        byte[] buf = new byte[BUFFER];
        System.arraycopy(t.header, 0, buf, 0, t.header.length);
        int pos = t.header.length;
        for (int i = 0; i < flows.size(); i++) {
            if (!FlowValues.has(f, flows, i)) {
                continue;
            }
            int start = labels.start(i);
            int length = labels.end(i) - start;
            int line = prefix.length + length + 2 + NumberText.MAX_LENGTH + 1;
            if (line > BUFFER - pos) {
                out.write(buf, 0, pos);
                pos = 0;
            }
            if (line > BUFFER) {
                // A label longer than the buffer (only ever seen in tests): straight to the stream.
                out.write(prefix);
                out.write(all, start, length);
            } else {
                System.arraycopy(prefix, 0, buf, pos, prefix.length);
                pos += prefix.length;
                System.arraycopy(all, start, buf, pos, length);
                pos += length;
            }
            buf[pos++] = '}';
            buf[pos++] = ' ';
            pos = list != null ? putValue(buf, pos, f, list, i) : putValue(buf, pos, f, flows.get(i));
            buf[pos++] = '\n';
        }
        out.write(buf, 0, pos);
    }

    /** The family's value for flow {@code i} of an engine's list, read from its columns. */
    private static int putValue(byte[] buf, int pos, Family f, FlowList list, int i) {
        return switch (f) {
            case TCP_RTT -> NumberText.putDouble(buf, pos, list.rttMs(i));
            case TCP_CWND -> NumberText.putLongAsDouble(buf, pos, list.cwnd(i));
            case TCP_DELIVERY_RATE -> NumberText.putLongAsDouble(buf, pos, list.deliveryRate(i));
            case TCP_DATA_SEGS_IN -> NumberText.putLongAsDouble(buf, pos, list.dataSegsIn(i));
            case TCP_DATA_SEGS_OUT -> NumberText.putLongAsDouble(buf, pos, list.dataSegsOut(i));
            default -> {
                if (f.signal() == null) {
                    throw new IllegalArgumentException(f + " is not a per-flow family");
                }
                yield NumberText.putDouble(buf, pos, list.signals(i).get(f.signal()));
            }
        };
    }

    /** The family's value for one flow, as client_java writes it. */
    private static int putValue(byte[] buf, int pos, Family f, FlowSample flow) {
        return switch (f) {
            case TCP_RTT -> NumberText.putDouble(buf, pos, flow.rttMs());
            case TCP_CWND -> NumberText.putLongAsDouble(buf, pos, flow.cwnd());
            case TCP_DELIVERY_RATE -> NumberText.putLongAsDouble(buf, pos, flow.deliveryRate());
            case TCP_DATA_SEGS_IN -> NumberText.putLongAsDouble(buf, pos, flow.dataSegsIn());
            case TCP_DATA_SEGS_OUT -> NumberText.putLongAsDouble(buf, pos, flow.dataSegsOut());
            default -> {
                if (f.signal() == null) {
                    throw new IllegalArgumentException(f + " is not a per-flow family");
                }
                yield NumberText.putDouble(buf, pos, flow.signals().get(f.signal()));
            }
        };
    }
}
