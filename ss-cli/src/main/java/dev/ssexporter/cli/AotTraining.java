package dev.ssexporter.cli;

import dev.ssexporter.core.config.SampleConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The workload {@code bin/ss-exporter} records into the JVM's AOT cache (JEP 483/514/515), so
 * that later starts find the exporter's classes already loaded and linked, and its hot methods
 * profiled: what the exporter does in its first seconds, on this machine's real sockets.
 *
 * <pre>
 * java &lt;the launcher's options&gt; -XX:AOTCacheOutput=ss-exporter.aot \
 *     -cp ss-exporter.jar dev.ssexporter.cli.AotTraining
 * </pre>
 *
 * <p>It serves on a free loopback port with the sample configuration ({@code --create-config}:
 * the defaults, spelt out) read from a temporary file, as a real start reads its {@code --config},
 * so that the YAML parser and the config mappers are in the cache too; scrapes {@code /metrics}
 * (plain, gzip, OpenMetrics and protobuf as Prometheus asks for them) and {@code /health} a few times over
 * plain HTTP/1.1, stops the server, runs
 * {@code dump} and {@code dump --json} into a discarding writer, and exits 0; 1 when the exporter
 * did not start; an exception when a request did not get a 200. Not a command of the CLI: nothing a user runs by hand.
 */
public final class AotTraining {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int SCRAPES = 5;
    private static final byte[] STATUS_OK = "HTTP/1.1 200 ".getBytes(StandardCharsets.US_ASCII);
    private static final String GZIP = "Accept-Encoding: gzip\r\n";
    /** What Prometheus 3 asks for with its default scrape protocols: OpenMetrics. */
    private static final String PROMETHEUS = "Accept: application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;"
            + "q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;"
            + "q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2\r\n";
    /** What it asks for when it scrapes native histograms: protobuf. */
    private static final String PROMETHEUS_NATIVE = "Accept: application/vnd.google.protobuf;"
            + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7\r\n";

    private AotTraining() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        System.exit(train());
    }

    static int train() throws InterruptedException, IOException {
        Path config = Files.createTempFile("ss-exporter-aot-training", ".yml");
        try {
            Files.writeString(config, SampleConfig.text(), StandardCharsets.UTF_8);
            return train(config);
        } finally {
            Files.deleteIfExists(config);
        }
    }

    private static int train(Path config) throws InterruptedException, IOException {
        // Read as a real start reads its plain command line, without picocli (PlainServeArgs).
        ServeCommand serve = PlainServeArgs.parse("--port=0", "--listen-address=127.0.0.1", "--config=" + config,
                "--log-level=warn").orElseThrow();
        Thread serving = Thread.ofPlatform().name("ss-exporter-aot-training").start(() -> Main.serve(serve));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (serve.boundPort() < 0 && serving.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        int port = serve.boundPort();
        if (port < 0) {
            serve.stop();
            return Exit.FAILURE;
        }
        try {
            for (int i = 0; i < SCRAPES; i++) {
                get(port, "/metrics", i % 2 == 1 ? GZIP : "");
                get(port, "/metrics", PROMETHEUS + GZIP);
                get(port, "/metrics", PROMETHEUS_NATIVE);
                get(port, "/health", "");
            }
            get(port, "/", "");
        } finally {
            serve.stop();
            serving.join(START_TIMEOUT.toMillis());
        }
        for (String[] dump : new String[][] {{"dump"}, {"dump", "--json"}}) {
            CommandLine c = Main.commandLine();
            c.setOut(new PrintWriter(Writer.nullWriter()));
            c.execute(dump);
        }
        return Exit.OK;
    }

    /**
     * One request on its own connection, with {@code headers} (each ending in CRLF); the answer
     * must be a 200, and is read to its end and dropped.
     */
    private static void get(int port, String path, String headers) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) START_TIMEOUT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] status = in.readNBytes(STATUS_OK.length);
            if (!Arrays.equals(status, STATUS_OK)) {
                throw new IOException("GET " + path + " answered \"" + new String(status, StandardCharsets.US_ASCII)
                        + "...\", expected \"HTTP/1.1 200\"");
            }
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
