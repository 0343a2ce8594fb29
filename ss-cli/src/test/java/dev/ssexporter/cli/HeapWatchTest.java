package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class HeapWatchTest {

    @Test
    void warnsWhenTheOldGenerationStaysAboveTheThresholdAfterAFullCollection() throws InterruptedException {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(HeapWatch.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r.getLevel() + " " + r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
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
            assertThat(warnings.getFirst()).startsWith("WARNING the heap is nearly full after a full collection")
                    .contains("SS_EXPORTER_HEAP");
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void theMessageNamesThePoolAndTheSizes() {
        assertThat(HeapWatch.message("Tenured Gen", 30L << 20, 36L << 20))
                .contains("Tenured Gen: 30.0 of 36.0 MB", "logic.limits.maxFlows");
    }
}
