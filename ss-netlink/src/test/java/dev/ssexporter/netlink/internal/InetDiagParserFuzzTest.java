package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.MalformedReplyException;
import dev.ssexporter.netlink.SocketRecord;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds {@link InetDiagParser} random bytes and mutations of real replies (the annotated
 * {@link Fixtures} and the recorded {@code captures/}): each case must either parse or throw one
 * of the documented exceptions, {@link MalformedReplyException} for bytes that do not parse or
 * {@link ErrnoException} for an error reply. Anything else (an {@code IndexOutOfBoundsException},
 * an {@code IllegalArgumentException} from a record, a hang) fails with the seed, the case number
 * and the case's hex.
 *
 * <p>Reproducible: the seed is fixed unless {@code -Dfuzz.seed=N} gives another, and
 * {@code -Dfuzz.cases=N} changes the count (default {@value #DEFAULT_CASES}).
 */
class InetDiagParserFuzzTest {
    private static final int DEFAULT_CASES = 50_000;
    private static final long DEFAULT_SEED = 0x55E7_F022L;
    /** Values that sit on the edges of the length and range checks. */
    private static final int[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 15, 16, 19, 20, 72, 87, 88, 104, 255, 256,
        0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff};

    private record Seed(String name, byte[] bytes, int seq, int portId, AddressFamily family) {}

    private static List<Seed> corpus() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        int s = Fixtures.SEQ;
        int p = Fixtures.PORT_ID;
        seeds.add(new Seed("IPV4_ESTABLISHED+DONE", Hex.bytes(Fixtures.IPV4_ESTABLISHED + Fixtures.DONE), s, p,
                AddressFamily.INET));
        seeds.add(new Seed("IPV6_LISTEN+IPV6_MAPPED+DONE",
                Hex.bytes(Fixtures.IPV6_LISTEN + Fixtures.IPV6_MAPPED + Fixtures.DONE), s, p, AddressFamily.INET6));
        seeds.add(new Seed("timewait+ERROR", Hex.bytes(Fixtures.bareIpv4TimeWait(80) + Fixtures.ERROR_EPERM), s, p,
                AddressFamily.INET));
        seeds.add(new Seed("DONE|DUMP_INTR", Hex.bytes(Fixtures.done(0x12, 0)), s, p, AddressFamily.INET));
        for (String name : List.of("ipv4-loopback.bin", "ipv6-loopback.bin")) {
            try (InputStream in = InetDiagParserFuzzTest.class.getResourceAsStream("/captures/" + name)) {
                assertThat(in).as("resource captures/%s", name).isNotNull();
                Capture c = Capture.read(in);
                for (int i = 0; i < c.datagrams().size(); i++) {
                    seeds.add(new Seed(name + "#" + i, c.datagrams().get(i), c.seq(), c.portId(), c.family()));
                }
            }
        }
        return seeds;
    }

    @Test
    void randomAndMutatedRepliesParseOrFailWithTheDocumentedException() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("fuzz.cases", DEFAULT_CASES);
        List<Seed> corpus = corpus();
        int[] outcomes = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(seed, cases, corpus),
                "the fuzz run (seed " + seed + ") must finish: a hang means the parser loops on some input");
        // Guard against a fuzzer that only ever produces garbage or only ever valid input.
        assertThat(outcomes[0]).as("cases that parsed (seed %d)", seed).isGreaterThan(cases / 100);
        assertThat(outcomes[1]).as("cases that failed as malformed (seed %d)", seed).isGreaterThan(cases / 10);
    }

    /** Returns {parsed, malformed, errno}. */
    private static int[] run(long seed, int cases, List<Seed> corpus) {
        SplittableRandom random = new SplittableRandom(seed);
        InetDiagParser parser = new InetDiagParser(); // one for all, as a reader keeps one: caches too
        int[] outcomes = new int[3];
        List<SocketRecord> sink = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            Seed base = corpus.get(random.nextInt(corpus.size()));
            byte[] input = random.nextInt(8) == 0 ? randomBytes(random) : mutate(base.bytes(), random);
            sink.clear();
            try {
                parser.parse(MemorySegment.ofArray(input), input.length, base.seq(), base.portId(), base.family(),
                        sink::add);
                for (SocketRecord r : sink) {
                    r.toString(); // every member readable
                }
                outcomes[0]++;
            } catch (MalformedReplyException e) {
                assertThat(e.offset()).as("offset of %s", e.getMessage()).isBetween(0L, (long) input.length);
                outcomes[1]++;
            } catch (ErrnoException e) {
                outcomes[2]++;
            } catch (Throwable t) {
                throw new AssertionError("fuzz case " + i + " (seed " + seed + ", -Dfuzz.seed=" + seed + ", mutated from "
                        + base.name() + ", " + input.length + " bytes) threw " + t + "\ninput: "
                        + HexFormat.of().formatHex(input), t);
            }
        }
        return outcomes;
    }

    private static byte[] randomBytes(SplittableRandom r) {
        byte[] b = new byte[r.nextInt(1024)];
        r.nextBytes(b);
        if (b.length >= 4 && r.nextBoolean()) {
            putU32(b, 0, b.length); // a plausible nlmsg_len, so parsing goes deeper
        }
        return b;
    }

    /** One to four mutations of {@code original}. */
    private static byte[] mutate(byte[] original, SplittableRandom r) {
        byte[] b = original.clone();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            if (b.length == 0) {
                return b;
            }
            switch (r.nextInt(7)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8)); // flip a bit
                case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256); // a random byte
                case 2 -> { // an edge value into a 16-bit field (rta_len, rta_type, nlmsg_type, ports)
                    int at = r.nextInt(b.length) & ~1;
                    if (at + 2 <= b.length) {
                        int v = INTERESTING[r.nextInt(INTERESTING.length)];
                        b[at] = (byte) v;
                        b[at + 1] = (byte) (v >>> 8);
                    }
                }
                case 3 -> { // an edge value into a 32-bit field (nlmsg_len, error, status)
                    int at = r.nextInt(b.length) & ~3;
                    if (at + 4 <= b.length) {
                        putU32(b, at, INTERESTING[r.nextInt(INTERESTING.length)]);
                    }
                }
                case 4 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1)); // cut short
                case 5 -> { // grow with garbage
                    int extra = 1 + r.nextInt(64);
                    int old = b.length;
                    b = Arrays.copyOf(b, old + extra);
                    for (int j = old; j < b.length; j++) {
                        b[j] = (byte) r.nextInt(256);
                    }
                }
                default -> { // duplicate a slice somewhere else
                    int from = r.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + r.nextInt(64));
                    int to = r.nextInt(b.length);
                    System.arraycopy(b.clone(), from, b, to, Math.min(len, b.length - to));
                }
            }
        }
        return b;
    }

    private static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
