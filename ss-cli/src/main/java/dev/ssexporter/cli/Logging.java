package dev.ssexporter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Sets up {@code java.util.logging}, where {@link System.Logger} routes: one line per record on
 * stderr, and the root level from {@code --log-level}.
 *
 * <pre>
 * 2025-11-25T18:50:01.123+01:00 INFO  [ServeCommand] listening on http://0.0.0.0:8020/metrics
 * </pre>
 */
final class Logging {
    private Logging() {}

    /** The {@code --log-level} values, and the {@code java.util.logging} level each one sets. */
    enum LogLevel {
        ERROR(Level.SEVERE),
        WARN(Level.WARNING),
        INFO(Level.INFO),
        DEBUG(Level.FINE);

        private final Level julLevel;

        LogLevel(Level julLevel) {
            this.julLevel = julLevel;
        }

        Level julLevel() {
            return julLevel;
        }

        /** {@code error}, {@code warn}, {@code info} or {@code debug}, any case. */
        static LogLevel parse(String text) {
            for (LogLevel l : values()) {
                if (l.name().equalsIgnoreCase(text.strip())) {
                    return l;
                }
            }
            throw new IllegalArgumentException("unknown log level '" + text + "'; expected one of " + names());
        }

        static String names() {
            return Arrays.stream(values()).map(l -> l.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
    }

    /** Replaces the root logger's handlers with one stderr handler in the one-line format. */
    static void configure(LogLevel level) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        console.setFormatter(new OneLine());
        root.addHandler(console);
        root.setLevel(level.julLevel());
    }

    /** {@code TIME LEVEL [Logger] message}, then the stack trace of a thrown exception, if any. */
    static final class OneLine extends Formatter {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx", Locale.ROOT);

        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(128);
            sb.append(TIME.format(r.getInstant().atZone(ZoneId.systemDefault()))).append(' ');
            String level = levelName(r.getLevel());
            sb.append(level).repeat(' ', 6 - level.length());
            sb.append('[').append(simpleName(r.getLoggerName())).append("] ");
            sb.append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                sb.append(trace);
            }
            return sb.toString();
        }

        private static String levelName(Level level) {
            int v = level.intValue();
            if (v >= Level.SEVERE.intValue()) {
                return "ERROR";
            } else if (v >= Level.WARNING.intValue()) {
                return "WARN";
            } else if (v >= Level.INFO.intValue()) {
                return "INFO";
            } else if (v >= Level.FINE.intValue()) {
                return "DEBUG";
            }
            return "TRACE";
        }

        private static String simpleName(String loggerName) {
            if (loggerName == null || loggerName.isEmpty()) {
                return "root";
            }
            return loggerName.substring(loggerName.lastIndexOf('.') + 1);
        }
    }
}
