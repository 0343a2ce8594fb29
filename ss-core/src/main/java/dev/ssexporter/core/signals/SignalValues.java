package dev.ssexporter.core.signals;

import java.util.Arrays;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalDouble;

/**
 * The opt-in signal values of one flow, in base units, each present or absent. Immutable.
 *
 * <p>A signal is absent when it is switched off, or when none of the flow's sockets reported it
 * (an older kernel, or the kernel's "no value yet" marker; see {@link TcpSignal}).
 */
public final class SignalValues {
    private static final TcpSignal[] SIGNALS = TcpSignal.values();
    private static final SignalValues NONE = new SignalValues(absentArray());

    /** One slot per {@link TcpSignal}, by ordinal; NaN when absent. */
    private final double[] values;

    private SignalValues(double[] values) {
        this.values = values;
    }

    /** No signal present. */
    public static SignalValues none() {
        return NONE;
    }

    /**
     * The given signals present with the given values.
     *
     * @throws IllegalArgumentException for a NaN or negative value, which no signal takes
     */
    public static SignalValues of(Map<TcpSignal, Double> present) {
        double[] v = absentArray();
        present.forEach((s, value) -> {
            if (value.isNaN() || value < 0) {
                throw new IllegalArgumentException(s + " must be a number at least 0, got " + value);
            }
            v[s.ordinal()] = value;
        });
        return new SignalValues(v);
    }

    /** Built by {@link SignalAccumulator} over a fresh array it hands over. */
    static SignalValues wrap(double[] values) {
        return new SignalValues(values);
    }

    static double[] absentArray() {
        double[] v = new double[SIGNALS.length];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    /** Whether {@code signal} has a value. */
    public boolean has(TcpSignal signal) {
        return !Double.isNaN(values[signal.ordinal()]);
    }

    /**
     * The value of {@code signal}, in its base unit.
     *
     * @throws NoSuchElementException when it is absent
     */
    public double get(TcpSignal signal) {
        double v = values[signal.ordinal()];
        if (Double.isNaN(v)) {
            throw new NoSuchElementException(signal + " is absent from this flow");
        }
        return v;
    }

    /** The value of {@code signal}, or empty when absent. */
    public OptionalDouble find(TcpSignal signal) {
        double v = values[signal.ordinal()];
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignalValues s && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SignalValues[");
        String sep = "";
        for (TcpSignal s : SIGNALS) {
            if (has(s)) {
                sb.append(sep).append(s.key()).append('=').append(values[s.ordinal()]);
                sep = ", ";
            }
        }
        return sb.append(']').toString();
    }
}
