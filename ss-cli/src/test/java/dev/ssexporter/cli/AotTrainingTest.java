package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The AOT training workload runs the real exporter on this machine's kernel and stops it again. */
class AotTrainingTest {
    @Test
    void servesScrapesItselfDumpsAndStops() throws Exception {
        assertThat(AotTraining.train()).isEqualTo(Exit.OK);
        Set<String> threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).collect(java.util.stream.Collectors.toSet());
        assertThat(threads).noneMatch(n -> n.startsWith("ss-exporter-aot-training") || n.startsWith("ss-exporter-http"));
    }
}
