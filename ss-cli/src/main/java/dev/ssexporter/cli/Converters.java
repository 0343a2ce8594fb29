package dev.ssexporter.cli;

import dev.ssexporter.netlink.TcpState;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters whose errors say what is accepted. */
final class Converters {
    private Converters() {}

    /** A TCP port, 0..65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port;
            try {
                port = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a port number (0..65535)");
            }
            if (port < 0 || port > 65535) {
                throw new TypeConversionException("port " + port + " is outside 0..65535");
            }
            return port;
        }
    }

    /** A TCP state by its ss name ({@code estab}, {@code time-wait}) or enum name ({@code TIME_WAIT}). */
    static final class State implements ITypeConverter<TcpState> {
        @Override
        public TcpState convert(String value) {
            try {
                return TcpState.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown TCP state '" + value + "'; accepted, in any case: "
                        + TcpState.acceptedNames());
            }
        }
    }

    /** The values picocli lists for {@code --state} in help and completion. */
    static final class StateNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(TcpState.values()).map(s -> s.ssName().toLowerCase(Locale.ROOT)).iterator();
        }
    }

    /** {@code error}, {@code warn}, {@code info} or {@code debug}. */
    static final class LogLevel implements ITypeConverter<Logging.LogLevel> {
        @Override
        public Logging.LogLevel convert(String value) {
            try {
                return Logging.LogLevel.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
