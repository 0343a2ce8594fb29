package dev.ssexporter.core.netns;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A configured network namespace cannot be read: the file is missing, or the process lacks the
 * capability to enter it. The message names the path and what is missing.
 */
public final class NamespaceAccessException extends IOException {
    private final transient Path path;

    public NamespaceAccessException(Path path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The namespace file that could not be read. */
    public Path path() {
        return path;
    }
}
