package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ends the real exporter within a second, with exit code 143, whether it is idle or in
 * the middle of answering scrapes.
 */
class ShutdownIT {
    /** The promise in docs/cli.md. */
    private static final long LIMIT_MS = 1000;

    @TempDir
    Path dir;

    /** Sends SIGTERM and returns the milliseconds until the process has exited. */
    private static long terminate(Exporter exporter) throws InterruptedException {
        Process p = exporter.process();
        long t0 = System.nanoTime();
        p.destroy(); // SIGTERM
        boolean exited = p.waitFor(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(exited).as("the exporter exits at all after SIGTERM; stderr:%n%s", exporter.stderr()).isTrue();
        assertThat(p.exitValue()).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
        return ms;
    }

    @Test
    void sigtermAfterAScrapeExitsWithinASecond() throws Exception {
        try (Exporter exporter = Exporter.start(dir)) {
            assertThat(exporter.metricsText()).contains("ss_exporter_scrape_success 1.0");
            long ms = terminate(exporter);
            assertThat(ms).as("ms from SIGTERM to exit").isLessThan(LIMIT_MS);
        }
    }

    @Test
    void sigtermDuringScrapesExitsWithinASecond() throws Exception {
        try (Exporter exporter = Exporter.start(dir)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI metrics = exporter.uri("/metrics");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger completed = new AtomicInteger();
            List<Thread> scrapers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                scrapers.add(Thread.ofPlatform().daemon().name("scraper-" + i).start(() -> {
                    while (!stop.get()) {
                        inFlight.incrementAndGet();
                        try {
                            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(metrics)
                                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() == 200) {
                                completed.incrementAndGet();
                            }
                        } catch (IOException | InterruptedException e) {
                            return; // the exporter is going away
                        } finally {
                            inFlight.decrementAndGet();
                        }
                    }
                }));
            }
            try {
                E2e.poll("two scrapes to complete", Duration.ofSeconds(60), Duration.ofMillis(10), completed::get,
                        n -> n >= 2);
                E2e.poll("a scrape to be in flight", Duration.ofSeconds(10), Duration.ZERO, inFlight::get, n -> n > 0);
                long ms = terminate(exporter);
                assertThat(ms).as("ms from SIGTERM to exit with a scrape in flight").isLessThan(LIMIT_MS);
            } finally {
                stop.set(true);
                for (Thread t : scrapers) {
                    t.join(Duration.ofSeconds(10));
                }
            }
        }
    }
}
