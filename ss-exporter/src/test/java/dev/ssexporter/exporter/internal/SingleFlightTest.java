package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

    @Test
    void callsOneAfterAnotherEachLoad() {
        AtomicInteger loads = new AtomicInteger();
        SingleFlight<Integer> flight = new SingleFlight<>("test-load", loads::incrementAndGet);
        assertThat(flight.get()).isEqualTo(1);
        assertThat(flight.get()).isEqualTo(2);
    }

    @Test
    void aFailedLoadReachesItsCallerAndItsWaitersAndIsNotKept() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        SingleFlight<String> flight = new SingleFlight<>("test-load", () -> {
            if (loads.incrementAndGet() == 1) {
                loading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("boom");
            }
            return "ok";
        });
        AtomicReference<Throwable> loaderSaw = new AtomicReference<>();
        Thread loader = Thread.ofPlatform().start(() -> {
            try {
                flight.get();
            } catch (Throwable t) {
                loaderSaw.set(t);
            }
        });
        loading.await();
        AtomicReference<Throwable> waiterSaw = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                flight.get();
            } catch (Throwable t) {
                waiterSaw.set(t);
            }
        });
        while (flight.waiting() < 2) {
            Thread.sleep(1);
        }
        release.countDown();
        loader.join();
        waiter.join();

        assertThat(loaderSaw.get()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(waiterSaw.get()).isSameAs(loaderSaw.get());
        assertThat(loads).hasValue(1);
        assertThat(flight.get()).isEqualTo("ok");
    }

    /** A caller whose time is up leaves; the load goes on and the callers still waiting get it. */
    @Test
    void aCallerThatTimesOutLeavesTheLoadRunningForTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        SingleFlight<Integer> flight = new SingleFlight<>("test-load", () -> {
            loads.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 42;
        });
        AtomicReference<Integer> patient = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> patient.set(flight.get()));
        while (flight.waiting() < 1) {
            Thread.sleep(1);
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> flight.get(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);
        assertThat(System.nanoTime() - start).isBetween(90_000_000L, 2_000_000_000L);
        release.countDown();
        waiter.join();
        assertThat(patient.get()).isEqualTo(42);
        assertThat(loads).hasValue(1);
    }

    @Test
    void theLoaderIsRequired() {
        assertThatThrownBy(() -> new SingleFlight<>("test-load", null)).isInstanceOf(NullPointerException.class).hasMessage("loader");
    }
}
