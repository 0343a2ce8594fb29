package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
    /** Cost 10, the htpasswd default: tens of milliseconds per check, enough to tell one check from none. */
    private static final String HASH = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, "right".toCharArray());

    @Test
    void everyBcryptVersionVerifies() {
        for (BCrypt.Version v : new BCrypt.Version[] {BCrypt.Version.VERSION_2A, BCrypt.Version.VERSION_2B,
                BCrypt.Version.VERSION_2Y}) {
            BasicAuth auth = new BasicAuth("r", Map.of("u", BCrypt.with(v).hashToString(4, "pw".toCharArray())));
            assertThat(auth.check("u", "pw")).as(v.toString()).isTrue();
            assertThat(auth.check("u", "pW")).as(v.toString()).isFalse();
        }
    }

    /**
     * An unknown user costs one bcrypt check, like a wrong password; a cached success costs none.
     * Loose bounds: the medians of several runs are compared, each within a factor of the other.
     */
    @Test
    void anUnknownUserTakesAsLongAsAWrongPassword() {
        BasicAuth auth = new BasicAuth("r", Map.of("prometheus", HASH));
        long wrongPassword = medianNanos(() -> assertThat(auth.check("prometheus", "wrong")).isFalse());
        long unknownUser = medianNanos(() -> assertThat(auth.check("nobody", "right")).isFalse());
        long tooLong = medianNanos(() -> assertThat(auth.check("prometheus", "r".repeat(200))).isFalse());
        assertThat(auth.check("prometheus", "right")).isTrue();
        long cached = medianNanos(() -> assertThat(auth.check("prometheus", "right")).isTrue());

        assertThat(wrongPassword).as("a bcrypt check at cost 10").isGreaterThan(5_000_000);
        // A shortcut for either would be thousands of times faster, far outside these bounds.
        assertThat((double) unknownUser / wrongPassword).as("unknown user / wrong password").isBetween(0.33, 3.0);
        assertThat((double) tooLong / wrongPassword).as("too long / wrong password").isBetween(0.33, 3.0);
        assertThat(cached).as("a remembered success").isLessThan(wrongPassword / 10);
        System.getLogger(BasicAuthTest.class.getName()).log(System.Logger.Level.INFO,
                "median check: wrong password {0} us, unknown user {1} us, too long {2} us, cached success {3} us",
                wrongPassword / 1000, unknownUser / 1000, tooLong / 1000, cached / 1000);
    }

    @Test
    void aWrongPasswordIsNotRememberedAndAnotherUsersPasswordDoesNotCount() {
        String other = BCrypt.withDefaults().hashToString(4, "theirs".toCharArray());
        BasicAuth auth = new BasicAuth("r", Map.of("a", BCrypt.withDefaults().hashToString(4, "mine".toCharArray()),
                "b", other));
        assertThat(auth.check("a", "mine")).isTrue();
        assertThat(auth.check("b", "mine")).isFalse();
        assertThat(auth.check("a", "theirs")).isFalse();
        assertThat(auth.check("a", "mine")).isTrue();
    }

    @Test
    void hashesAreChecked() {
        assertThat(BasicAuth.isBcryptHash(HASH)).isTrue();
        assertThat(BasicAuth.isBcryptHash("$2x$10$" + HASH.substring(7))).isFalse();
        assertThat(BasicAuth.isBcryptHash("$2y$03$" + HASH.substring(7))).isFalse();
        assertThat(BasicAuth.isBcryptHash(HASH + "x")).isFalse();
        assertThatThrownBy(() -> new BasicAuth("r", Map.of("u", "plain"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the hash of user u is not a bcrypt hash");
        assertThatThrownBy(() -> new BasicAuth("r", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The median CPU time of this thread over 5 runs: bcrypt is pure computation, and CPU time,
     * unlike wall time, does not grow when other processes share the machine.
     */
    private static long medianNanos(Runnable check) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] t = new long[5];
        for (int i = 0; i < t.length; i++) {
            long start = threads.getCurrentThreadCpuTime();
            check.run();
            t[i] = threads.getCurrentThreadCpuTime() - start;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }
}
