package dev.ssexporter.exporter;

import java.util.List;
import java.util.Objects;

/**
 * What {@code POST /-/reload} runs ({@link ExporterServer.Builder#reloadAction}); usually a
 * {@link ConfigReloader}.
 */
@FunctionalInterface
public interface ReloadAction {

    /** Reloads; never throws, a failure is a {@link Result} with {@code success == false}. */
    Result reload();

    /**
     * How a reload went.
     *
     * @param success whether the new configuration is being served (or there was nothing to reload)
     * @param lines what happened, one line each: a short note on success, every reason on failure
     *     (for a config file, {@code file:line:col: path: message}); never a stack trace
     */
    record Result(boolean success, List<String> lines) {
        public Result {
            lines = List.copyOf(lines);
            for (String line : lines) {
                if (Objects.requireNonNull(line, "line").indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("a result line must be one line, got: " + line);
                }
            }
        }

        public static Result success(String line) {
            return new Result(true, List.of(line));
        }

        public static Result failure(List<String> reasons) {
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a failed reload needs at least one reason");
            }
            return new Result(false, reasons);
        }
    }
}
