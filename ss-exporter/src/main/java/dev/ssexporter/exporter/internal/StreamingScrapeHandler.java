package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ssexporter.exporter.internal.FlowStreamRequest.FlowFamilies;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.ExporterFilterProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics} streamed, in the format the {@code Accept} header picks: the Prometheus text
 * format, OpenMetrics (what Prometheus asks for by default) or protobuf (what it asks for when it
 * scrapes native histograms). The response is written while it is produced, with chunked transfer
 * encoding (and gzip when the client accepts it), so a scrape of 100,000 flows never holds its
 * body (38 MB of text), nor per-flow snapshots, in memory.
 *
 * <p>The registry is scraped with a {@link FlowStreamRequest}: every collector answers as usual,
 * except {@code SocketStatsCollector}, which leaves its per-flow families out of its snapshots and
 * attaches the flows of the same collection instead. The families are then written in the order
 * client_java sorts them (by name), the small ones by client_java's own writer for the format
 * ({@link ExpositionFormat}, on a platform thread: see {@link PlatformThreads}), the per-flow ones
 * by the format's {@link FlowFamilyWriter}, and OpenMetrics' {@code # EOF} last, so the body is
 * byte for byte what client_java would have written.
 *
 * <p>Everything else goes to client_java's handler, which builds the whole body in memory first:
 * requests with query parameters ({@code name[]=}, {@code debug=}), formats this class does not
 * know, and the client_java properties it does not implement (name filters, created timestamps).
 *
 * <p>{@code HEAD} gets the headers only. Collecting and validating happen before the headers are
 * sent, so their failures are still a {@code 500}. If writing fails half-way after that (a bug, or
 * the answer's time limit interrupting it), the status cannot change any more; the body then ends
 * with bytes no parser accepts (uncompressed; OpenMetrics also lacks its {@code # EOF}) or without
 * its gzip trailer, so the scrape fails instead of looking complete.
 */
public final class StreamingScrapeHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(StreamingScrapeHandler.class.getName());
    /** Deflate's output buffer; the flows come in 64 KiB writes from their {@link FlowFamilyWriter}. */
    private static final int GZIP_BUFFER = 16 * 1024;
    /** Ends a body that broke half-way: not a valid line, so Prometheus rejects the scrape. */
    private static final byte[] CUT_SHORT =
            "\nERROR: ss-exporter failed while writing this response; it is incomplete\n"
                    .getBytes(StandardCharsets.US_ASCII);

    private final PrometheusRegistry registry;
    private final HttpHandler fallback;
    private final ExpositionFormats formats;
    private final boolean preferUncompressed;
    /** The formats streamed, by client_java's writer for each (the instances {@link #formats} returns). */
    private final Map<ExpositionFormatWriter, Streamed> streamed = new IdentityHashMap<>();
    private final Map<Family, String> familyNames = new EnumMap<>(Family.class);

    /**
     * A format streamed, with its per-flow writers: the default escaping scheme's made (and so
     * checked) at start-up, the others when a scrape first asks for them.
     */
    private record Streamed(ExpositionFormat format, ConcurrentMap<EscapingScheme, FlowFamilyWriter> flowWriters) {
        /** @throws IllegalStateException when client_java's output in {@code scheme} has an unexpected shape */
        FlowFamilyWriter flowWriter(EscapingScheme scheme) {
            return flowWriters.computeIfAbsent(scheme, format::flowWriter);
        }
    }

    /**
     * @param fallback client_java's scrape handler ({@link BufferedScrapeHandler}) for the same registry, for what is not
     *     streamed
     */
    public StreamingScrapeHandler(PrometheusProperties properties, PrometheusRegistry registry, HttpHandler fallback) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.formats = ExpositionFormats.init(properties);
        this.preferUncompressed = properties.getExporterHttpServerProperties().isPreferUncompressedResponse();
        if (!properties.getExporterProperties().getIncludeCreatedTimestamps()
                && noNameFilter(properties.getExporterFilterProperties())) {
            for (ExpositionFormatWriter w : List.of(formats.getPrometheusTextFormatWriter(),
                    formats.getOpenMetricsTextFormatWriter(), formats.getPrometheusProtobufWriter())) {
                Optional<ExpositionFormat> known = ExpositionFormat.of(w);
                if (known.isEmpty()) {
                    continue; // protobuf without its protobuf classes: client_java answers 406 itself
                }
                ExpositionFormat format = known.get();
                try {
                    Streamed s = new Streamed(format, new ConcurrentHashMap<>());
                    s.flowWriter(EscapingScheme.DEFAULT);
                    streamed.put(w, s);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot stream " + format + " with this client_java; client_java's handler"
                            + " will build every scrape in it in memory: " + e.getMessage());
                }
            }
        }
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            familyNames.put(f, new MetricMetadata(f.metricName()).getPrometheusName());
        }
    }

    private static boolean noNameFilter(ExporterFilterProperties f) {
        return f.getAllowedMetricNames() == null && f.getExcludedMetricNames() == null
                && f.getAllowedMetricNamePrefixes() == null && f.getExcludedMetricNamePrefixes() == null;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        Streamed streaming = streamed.get(formats.findWriter(accept));
        if (streaming == null || exchange.getRequestURI().getRawQuery() != null) {
            fallback.handle(exchange);
            return;
        }
        EscapingScheme scheme = EscapingScheme.fromAcceptHeader(accept);
        ExpositionFormat format = streaming.format();
        FlowFamilyWriter flowWriter;
        try {
            flowWriter = streaming.flowWriter(scheme);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "cannot stream " + format + " escaped as " + scheme + "; client_java's"
                    + " handler builds this scrape in memory: " + e.getMessage());
            fallback.handle(exchange);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", format.contentType());
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        // Everything that can fail for a reason other than I/O happens before the headers are sent.
        FlowStreamRequest request = new FlowStreamRequest(exchange.getRequestURI().getPath());
        MetricSnapshots snapshots = registry.scrape(request);
        List<Part> parts = parts(snapshots, request.attached());
        boolean gzip = !preferUncompressed && acceptsGzip(exchange);
        if (gzip) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        if (gzip) {
            FastGzip zip = new FastGzip(body);
            try {
                write(zip, parts, scheme, format, flowWriter);
                zip.finish();
            } finally {
                zip.end();
            }
        } else {
            try {
                write(body, parts, scheme, format, flowWriter);
            } catch (IOException | RuntimeException e) {
                // An interrupted wait (the answer's time limit) is an IOException too; the channel
                // may still take these bytes, and an ended chunked body must not look complete.
                try {
                    body.write(CUT_SHORT);
                } catch (IOException closed) {
                    e.addSuppressed(closed);
                }
                throw e;
            }
        }
        body.close();
    }

    /** Fewer bytes than the default level cost far more CPU on this repetitive text. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, GZIP_BUFFER);
            def.setLevel(Deflater.BEST_SPEED);
        }

        /** Frees zlib's memory now rather than when the collector gets to it. */
        void end() {
            def.end();
        }
    }

    private sealed interface Part {
        String name();
    }

    private record Snapshot(String name, MetricSnapshot snapshot) implements Part {}

    private record Flows(String name, Family family, FlowFamilies flows) implements Part {}

    /** The families in client_java's order: by Prometheus name. */
    private List<Part> parts(MetricSnapshots snapshots, List<FlowFamilies> attached) {
        List<Part> parts = new ArrayList<>(snapshots.size() + 5);
        for (MetricSnapshot s : snapshots) {
            parts.add(new Snapshot(s.getMetadata().getPrometheusName(), s));
        }
        for (FlowFamilies ff : attached) {
            for (Family f : ff.families()) {
                parts.add(new Flows(familyNames.get(f), f, ff));
            }
        }
        parts.sort(Comparator.comparing(Part::name));
        return parts;
    }

    private static void write(OutputStream out, List<Part> parts, EscapingScheme scheme, ExpositionFormat format,
                              FlowFamilyWriter flowWriter) throws IOException {
        List<MetricSnapshot> run = new ArrayList<>();
        for (Part p : parts) {
            switch (p) {
                case Snapshot s -> run.add(s.snapshot());
                case Flows f -> {
                    writeRun(out, run, scheme, format);
                    flowWriter.write(out, f.family(), f.flows().flows(), f.flows().labels());
                }
            }
        }
        writeRun(out, run, scheme, format);
        out.write(format.trailer());
    }

    /** Consecutive client_java snapshots, in one call so that its writer sees them together. */
    private static void writeRun(OutputStream out, List<MetricSnapshot> run, EscapingScheme scheme,
                                 ExpositionFormat format)
            throws IOException {
        if (!run.isEmpty()) {
            MetricSnapshots snapshots = new MetricSnapshots(run);
            out.write(PlatformThreads.shared().call(() -> format.render(snapshots, scheme)));
            run.clear();
        }
    }

    /** Whether an {@code Accept-Encoding} header lists gzip, as client_java decides it. */
    private static boolean acceptsGzip(HttpExchange exchange) {
        List<String> values = exchange.getRequestHeaders().get("Accept-Encoding");
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String encoding : value.split(",")) {
                if (encoding.trim().equalsIgnoreCase("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }

}
