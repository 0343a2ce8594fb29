package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class HeapWatchTest {

    @Test
    void warnsWhenTheOldGenerationStaysAboveTheThresholdAfterAFullCollection() throws InterruptedException {
        try (LogCapture log = LogCapture.of(HeapWatch.class)) {
            List<LogRecord> warnings = log.records();
            // A threshold of almost nothing: any live data in the old generation crosses it.
            List<String> pools = HeapWatch.install(1e-9);
            assertThat(pools).as("the test JVM's collector has an old generation to watch").isNotEmpty();
            List<long[]> retained = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                retained.add(new long[16 * 1024]);
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (warnings.isEmpty() && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(100);
            }
            assertThat(retained).hasSize(64);
            assertThat(warnings).as("a warning after a full collection").isNotEmpty();
            LogRecord first = warnings.getFirst();
            assertThat(first.getLevel() + " " + first.getMessage())
                    .startsWith("WARNING the heap is nearly full after a full collection").contains("SS_EXPORTER_HEAP");
        }
    }

    @Test
    void theMessageNamesThePoolAndTheSizes() {
        assertThat(HeapWatch.message("Tenured Gen", 30L << 20, 36L << 20))
                .contains("Tenured Gen: 30.0 of 36.0 MB", "logic.limits.maxFlows");
    }
}
