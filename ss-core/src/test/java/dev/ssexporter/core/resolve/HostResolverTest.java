package dev.ssexporter.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostResolverTest {
    private static final InetAddress DB1 = InetAddress.ofLiteral("10.0.0.1");
    private static final InetAddress DB2 = InetAddress.ofLiteral("2001:db8::1");
    private static final InetAddress API = InetAddress.ofLiteral("192.0.2.7");

    /** A lookup answering from a mutable table; a missing name fails like the system resolver. */
    private final Map<String, InetAddress[]> dns = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    private InetAddress[] lookup(String host) throws UnknownHostException {
        calls.incrementAndGet();
        InetAddress[] a = dns.get(host);
        if (a == null) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        return a;
    }

    @Test
    void emptyUntilFirstRefreshThenUnion() {
        dns.put("db.internal", new InetAddress[] {DB1, DB2});
        dns.put("api.example.com", new InetAddress[] {API, DB1});
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        try (HostResolver r = HostResolver.builder().hosts(List.of("db.internal", "api.example.com", "db.internal"))
                .lookup(this::lookup).clock(InstantSource.fixed(t0)).build()) {
            assertThat(r.addresses()).isEmpty();
            assertThat(r.lastRefreshed()).isEmpty();
            assertThat(r.hosts()).containsExactly("db.internal", "api.example.com");
            r.refresh();
            assertThat(r.addresses()).containsExactlyInAnyOrder(DB1, DB2, API);
            assertThat(r.lastRefreshed()).contains(t0);
            assertThat(r.failuresTotal()).isZero();
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void failureKeepsLastAnswerAndIsCountedEachTime() {
        dns.put("db.internal", new InetAddress[] {DB1});
        dns.put("api.example.com", new InetAddress[] {API});
        try (HostResolver r = HostResolver.builder().hosts(List.of("db.internal", "api.example.com"))
                .lookup(this::lookup).build()) {
            r.refresh();
            dns.remove("db.internal");
            r.refresh();
            r.refresh();
            assertThat(r.addresses()).as("stale beats empty").containsExactlyInAnyOrder(DB1, API);
            assertThat(r.failuresTotal()).isEqualTo(2);
            dns.put("db.internal", new InetAddress[] {DB2});
            r.refresh();
            assertThat(r.addresses()).containsExactlyInAnyOrder(DB2, API);
            assertThat(r.failuresTotal()).isEqualTo(2);
        }
    }

    @Test
    void hostThatNeverResolvedMatchesNothing() {
        dns.put("api.example.com", new InetAddress[] {API});
        try (HostResolver r = HostResolver.builder().hosts(List.of("nxdomain.invalid", "api.example.com"))
                .lookup(this::lookup).build()) {
            r.refresh();
            assertThat(r.addresses()).containsExactly(API);
            assertThat(r.failuresTotal()).isEqualTo(1);
        }
    }

    @Test
    void runtimeExceptionsFromTheLookupAreFailuresToo() {
        try (HostResolver r = HostResolver.builder().hosts(List.of("x"))
                .lookup(h -> { throw new IllegalStateException("boom"); }).build()) {
            r.refresh();
            assertThat(r.addresses()).isEmpty();
            assertThat(r.failuresTotal()).isEqualTo(1);
        }
    }

    @Test
    void backgroundThreadResolvesAtOnceThenPeriodicallyAndStopsOnClose() throws Exception {
        dns.put("db.internal", new InetAddress[] {DB1});
        CountDownLatch threeRounds = new CountDownLatch(3);
        HostResolver r = HostResolver.builder().hosts(List.of("db.internal"))
                .interval(Duration.ofMillis(20))
                .lookup(h -> {
                    threeRounds.countDown();
                    return lookup(h);
                })
                .build();
        assertThat(r.start()).isSameAs(r);
        assertThat(r.start()).as("idempotent").isSameAs(r);
        assertThat(threeRounds.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.addresses()).containsExactly(DB1);
        r.close();
        assertThat(r.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(r.isRunning()).isFalse();
        int after = calls.get();
        Thread.sleep(100);
        assertThat(calls.get()).as("no lookups after close").isEqualTo(after);
        r.close();
    }

    @Test
    void noHostsStartsNoThread() throws Exception {
        try (HostResolver r = HostResolver.builder().build().start()) {
            assertThat(r.isRunning()).isFalse();
            assertThat(r.addresses()).isEmpty();
            r.refresh();
            assertThat(r.addresses()).isEmpty();
        }
    }

    @Test
    void closedBeforeStartNeverStarts() {
        HostResolver r = HostResolver.builder().hosts(List.of("db.internal")).lookup(this::lookup).build();
        r.close();
        r.start();
        assertThat(r.isRunning()).isFalse();
        assertThat(calls).hasValue(0);
    }

    @Test
    void validatesSettings() {
        assertThatThrownBy(() -> HostResolver.builder().interval(Duration.ZERO))
                .hasMessage("resolve interval PT0S is shorter than 1 ms");
        assertThatThrownBy(() -> HostResolver.builder().hosts(List.of("ok", " ")))
                .hasMessage("host names must not be blank: [ok,  ]");
    }
}
