package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every value is written exactly as {@link Double#toString(double)} (and client_java's infinities). */
class NumberTextTest {
    private static final Random RANDOM = new Random(20_261_125);

    @Test
    void examplesFromAScrape() {
        assertThat(NumberText.doubleText(53.376)).isEqualTo("53.376");
        assertThat(NumberText.doubleText(0.038)).isEqualTo("0.038");
        assertThat(NumberText.doubleText(0.001)).isEqualTo("0.001");
        assertThat(NumberText.doubleText(0.0009999)).isEqualTo("9.999E-4");
        assertThat(NumberText.doubleText(5.0)).isEqualTo("5.0");
        assertThat(NumberText.doubleText(-0.0)).isEqualTo("-0.0");
        assertThat(NumberText.doubleText(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(NumberText.doubleText(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(NumberText.doubleText(Double.NaN)).isEqualTo("NaN");
        assertThat(NumberText.longText(10)).isEqualTo("10.0");
        assertThat(NumberText.longText(-9_999_999)).isEqualTo("-9999999.0");
        assertThat(NumberText.longText(10_000_000)).isEqualTo("1.0E7");
        assertThat(NumberText.longText(1_234_567_800)).isEqualTo("1.2345678E9");
        assertThat(NumberText.longText(Long.MIN_VALUE)).isEqualTo("-9.223372036854776E18");
    }

    @Test
    void longsMatchDoubleToString() {
        for (long v : new long[] {0, 1, -1, 9, 10, 9_999_999, 10_000_000, 10_000_001, -10_000_000, 100_000_000,
                (1L << 53) - 1, (1L << 53), (1L << 53) + 1, -(1L << 53) + 1, -(1L << 53), Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MIN_VALUE + 1, 4_294_967_295L, 999_999_999_999_999L}) {
            assertThat(NumberText.longText(v)).as("%d", v).isEqualTo(Double.toString((double) v));
        }
        for (int i = 0; i < 500_000; i++) {
            long v = switch (i % 5) {
                case 0 -> RANDOM.nextInt(20_000_000) - 10_000_000;
                case 1 -> RANDOM.nextLong() >> RANDOM.nextInt(64);
                case 2 -> (long) Math.pow(10, RANDOM.nextInt(19)) * (RANDOM.nextInt(21) - 10);
                case 3 -> (1L << 53) + RANDOM.nextInt(2001) - 1000;
                default -> RANDOM.nextLong();
            };
            same(NumberText.longText(v), Double.toString((double) v));
        }
    }

    @Test
    void digitCountAtEveryPowerOfTen() {
        assertThat(NumberText.digitCount(0)).isEqualTo(1);
        long power = 1;
        for (int digits = 1; digits <= 19; digits++) {
            assertThat(NumberText.digitCount(power)).as("10^%d", digits - 1).isEqualTo(digits);
            assertThat(NumberText.digitCount(power - 1)).as("10^%d - 1", digits - 1).isEqualTo(Math.max(1, digits - 1));
            if (digits < 19) {
                assertThat(NumberText.digitCount(power * 10 - 1)).as("10^%d - 1", digits).isEqualTo(digits);
                power *= 10;
            }
        }
        assertThat(NumberText.digitCount(Long.MAX_VALUE)).isEqualTo(19);
        for (int i = 0; i < 100_000; i++) {
            long v = (RANDOM.nextLong() >>> 1) >>> RANDOM.nextInt(63);
            if (NumberText.digitCount(v) != Long.toString(v).length()) {
                assertThat(NumberText.digitCount(v)).as("%d", v).isEqualTo(Long.toString(v).length());
            }
        }
    }

    /** assertThat only on a mismatch: millions of values stay fast. */
    private static void same(String written, String expected) {
        if (!written.equals(expected)) {
            assertThat(written).isEqualTo(expected);
        }
    }

    @Test
    void doublesMatchDoubleToString() {
        for (double d : new double[] {0.0, -0.0, 1e-3, -1e-3, 0.0009999999999999998, 0.0010000000000000002, 9_999_999.999,
                9_999_999.9995, 10_000_000.0, 1e7 - 1e-9, 0.1, 0.2, 0.3, 1.0 / 3, 2.5, 1e300, Double.MIN_VALUE,
                Double.MAX_VALUE, -Double.MAX_VALUE, 4_294_967.295, 123_456.0005, 0.0015, 0.0025}) {
            assertThat(NumberText.doubleText(d)).as("%s", d).isEqualTo(Double.toString(d));
        }
        for (int i = 0; i < 1_000_000; i++) {
            double d = switch (i % 6) {
                // RTTs: microseconds / 1000, and means of a few of them.
                case 0 -> RANDOM.nextInt(100_000_000) / 1000.0;
                case 1 -> (RANDOM.nextInt(10_000_000) + RANDOM.nextInt(10_000_000)) / 1000.0 / (1 + RANDOM.nextInt(4));
                case 2 -> Double.longBitsToDouble(RANDOM.nextLong());
                case 3 -> RANDOM.nextDouble() * Math.pow(10, RANDOM.nextInt(20) - 6);
                case 4 -> -RANDOM.nextLong(10_000_000_000L) / 1000.0;
                // Neighbours of whole thousandths, one or two ulps away.
                default -> {
                    double t = RANDOM.nextLong(10_000_000_000L) / 1000.0;
                    int steps = RANDOM.nextInt(5) - 2;
                    for (int s = 0; s < Math.abs(steps); s++) {
                        t = steps > 0 ? Math.nextUp(t) : Math.nextDown(t);
                    }
                    yield t;
                }
            };
            same(NumberText.doubleText(d), Double.isInfinite(d) ? (d > 0 ? "+Inf" : "-Inf") : Double.toString(d));
        }
    }
}
