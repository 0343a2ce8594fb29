package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PlatformThreadsTest {
    private final PlatformThreads platform = new PlatformThreads("test-platform-");

    /** Runs {@code body} on a virtual thread and rethrows what it threw. */
    private static void onVirtualThread(ThrowingRunnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        assertThat(t.join(Duration.ofSeconds(10))).as("the virtual thread ended").isTrue();
        if (failure.get() instanceof Exception e) {
            throw e;
        } else if (failure.get() instanceof Error e) {
            throw e;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aVirtualCallerGetsTheWorkDoneOnANamedPlatformThread() throws Exception {
        onVirtualThread(() -> {
            Thread worker = platform.call(Thread::currentThread);
            assertThat(worker.isVirtual()).isFalse();
            assertThat(worker.isDaemon()).isTrue();
            assertThat(worker.getName()).startsWith("test-platform-");
        });
    }

    @Test
    void aPlatformCallerDoesTheWorkItself() throws Exception {
        assertThat(platform.call(Thread::currentThread)).isSameAs(Thread.currentThread());
    }

    @Test
    void theSharedPoolIsOnePool() {
        assertThat(PlatformThreads.shared()).isSameAs(PlatformThreads.shared());
    }

    @Test
    void clientJavasTextIsTheSameWhereverItIsRendered() throws Exception {
        ExpositionFormat text = ExpositionFormat.of(PrometheusTextFormatWriter.create()).orElseThrow();
        MetricSnapshots snapshots = new MetricSnapshots(GaugeSnapshot.builder().name("g").help("h\\elp")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1.5).build()).build());
        String here = new String(text.render(snapshots, EscapingScheme.DEFAULT), StandardCharsets.UTF_8);
        assertThat(here).isEqualTo("# HELP g h\\\\elp\n# TYPE g gauge\ng 1.5\n");
        onVirtualThread(() -> assertThat(new String(platform.call(() -> text.render(snapshots, EscapingScheme.DEFAULT)),
                StandardCharsets.UTF_8)).isEqualTo(here));
    }

    @Test
    void theWorksFailureReachesTheCaller() throws Exception {
        IOException io = new IOException("disk gone");
        IllegalStateException bug = new IllegalStateException("bug");
        onVirtualThread(() -> {
            assertThatThrownBy(() -> platform.call(() -> {
                throw io;
            })).isSameAs(io);
            assertThatThrownBy(() -> platform.call(() -> {
                throw bug;
            })).isSameAs(bug);
        });
    }

    @Test
    void anInterruptedCallerStopsWaitingAndTheWorkIsInterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean workInterrupted = new AtomicBoolean();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicBoolean callerStillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                platform.call(() -> {
                    started.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        workInterrupted.set(true);
                    }
                    return null;
                });
            } catch (IOException e) {
                seen.set(e);
                callerStillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
        assertThat(seen.get()).isInstanceOf(InterruptedIOException.class)
                .hasMessage("interrupted while waiting for a platform thread");
        assertThat(callerStillInterrupted).as("the caller's interrupt is kept").isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!workInterrupted.get() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(workInterrupted).as("the work was interrupted too").isTrue();
    }
}
