package dev.ssexporter.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A config file that cannot be used. It carries every problem found in the file, in the order
 * they appear in it; {@link #getMessage()} prints one {@link ConfigError} per line.
 */
public final class ConfigException extends Exception {
    private final List<ConfigError> errors;

    ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** The problems, in file order; never empty. */
    public List<ConfigError> errors() {
        return errors;
    }
}
