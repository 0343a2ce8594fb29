package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExpositionFormatTest {
    private static final MetricSnapshots ONE_GAUGE = new MetricSnapshots(GaugeSnapshot.builder().name("g").help("Help.")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(2).build()).build());

    private static String render(ExpositionFormat format) throws IOException {
        return new String(format.render(ONE_GAUGE, EscapingScheme.DEFAULT), StandardCharsets.UTF_8);
    }

    @Test
    void theTextFormatHasNoTrailer() throws IOException {
        ExpositionFormat text = ExpositionFormat.of(PrometheusTextFormatWriter.create()).orElseThrow();
        assertThat(text.isOpenMetrics()).isFalse();
        assertThat(text.trailer()).isEmpty();
        assertThat(text.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(render(text)).isEqualTo("# HELP g Help.\n# TYPE g gauge\ng 2.0\n");
    }

    @Test
    void openMetricsLosesItsEofLineWhichTheBodyWritesOnceAtItsEnd() throws IOException {
        ExpositionFormat om = ExpositionFormat.of(OpenMetricsTextFormatWriter.create()).orElseThrow();
        assertThat(om.isOpenMetrics()).isTrue();
        assertThat(new String(om.trailer(), StandardCharsets.US_ASCII)).isEqualTo("# EOF\n");
        assertThat(om.contentType()).isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(render(om)).isEqualTo("# TYPE g gauge\n# HELP g Help.\ng 2.0\n");
        assertThat(om.render(new MetricSnapshots(), EscapingScheme.DEFAULT)).isEmpty();
    }

    @Test
    void protobufHasNoTrailerAndAWriterOfAnotherFormatIsNotStreamed() {
        ExpositionFormat protobuf = ExpositionFormat.of(new PrometheusProtobufWriter()).orElseThrow();
        assertThat(protobuf.isProtobuf()).isTrue();
        assertThat(protobuf.trailer()).isEmpty();
        assertThat(protobuf.contentType()).startsWith("application/vnd.google.protobuf");
        ExpositionFormatWriter other = new ExpositionFormatWriter() {
            @Override
            public boolean accepts(String acceptHeader) {
                return true;
            }

            @Override
            public void write(OutputStream out, MetricSnapshots snapshots, EscapingScheme scheme) {
            }

            @Override
            public String getContentType() {
                return "application/x-other";
            }
        };
        assertThat(ExpositionFormat.of(other)).isEmpty();
    }

    @Test
    void openMetricsTextWithoutItsEofLineIsRefused() {
        OpenMetricsTextFormatWriter noEof = new OpenMetricsTextFormatWriter(false, false) {
            @Override
            public void write(OutputStream out, MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
                out.write("g 2.0\n".getBytes(StandardCharsets.US_ASCII));
            }
        };
        ExpositionFormat om = ExpositionFormat.of(noEof).orElseThrow();
        assertThatThrownBy(() -> om.render(ONE_GAUGE, EscapingScheme.DEFAULT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("did not end its output with # EOF");
    }
}
