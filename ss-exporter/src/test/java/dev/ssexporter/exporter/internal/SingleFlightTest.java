package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

    @Test
    void callsOneAfterAnotherEachLoad() {
        AtomicInteger loads = new AtomicInteger();
        SingleFlight<Integer> flight = new SingleFlight<>(loads::incrementAndGet);
        assertThat(flight.get()).isEqualTo(1);
        assertThat(flight.get()).isEqualTo(2);
    }

    @Test
    void aFailedLoadReachesItsCallerAndItsWaitersAndIsNotKept() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        SingleFlight<String> flight = new SingleFlight<>(() -> {
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
        while (waiter.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
        release.countDown();
        loader.join();
        waiter.join();

        assertThat(loaderSaw.get()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(waiterSaw.get()).isInstanceOf(CompletionException.class).hasRootCauseMessage("boom");
        assertThat(loads).hasValue(1);
        assertThat(flight.get()).isEqualTo("ok");
    }

    @Test
    void theLoaderIsRequired() {
        assertThatThrownBy(() -> new SingleFlight<>(null)).isInstanceOf(NullPointerException.class).hasMessage("loader");
    }
}
