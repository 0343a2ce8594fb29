package dev.ssexporter.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Which network namespaces are read ({@code logic.namespaces}).
 *
 * <ul>
 *   <li>{@link Host}: the exporter's own namespace only, the default;
 *   <li>{@link Listed}: the namespaces behind the given files ({@code /var/run/netns/NAME},
 *       {@code /proc/PID/ns/net}), and the exporter's own where the list says {@code host};
 *   <li>{@link All}: every distinct namespace found through {@code /proc/PID/ns/net} and
 *       {@code /var/run/netns}, found again at every scrape.
 * </ul>
 */
public sealed interface NamespacesConfig {

    /** The default: the exporter's own network namespace. */
    static NamespacesConfig host() {
        return Host.INSTANCE;
    }

    /**
     * Whether every series carries a {@code netns} label: when more than one namespace is or may
     * be read ({@code all}, or a list of two or more).
     */
    boolean labelled();

    /** The exporter's own namespace only. */
    record Host() implements NamespacesConfig {
        static final Host INSTANCE = new Host();

        @Override
        public boolean labelled() {
            return false;
        }
    }

    /** Every namespace found at each scrape. */
    record All() implements NamespacesConfig {
        @Override
        public boolean labelled() {
            return true;
        }
    }

    /**
     * The listed namespaces, in the order given.
     *
     * @param includeHost whether the list names {@code host}, the exporter's own namespace
     * @param paths absolute paths of namespace files, without repeats
     */
    record Listed(boolean includeHost, List<Path> paths) implements NamespacesConfig {
        public Listed {
            paths = List.copyOf(paths);
            if (!includeHost && paths.isEmpty()) {
                throw new IllegalArgumentException("a namespace list needs at least one entry");
            }
            List<Path> relative = new ArrayList<>();
            for (Path p : paths) {
                if (!Objects.requireNonNull(p, "path").isAbsolute()) {
                    relative.add(p);
                }
            }
            if (!relative.isEmpty()) {
                throw new IllegalArgumentException("namespace paths must be absolute, got " + relative);
            }
            if (new LinkedHashSet<>(paths).size() != paths.size()) {
                throw new IllegalArgumentException("a namespace path is listed twice in " + paths);
            }
        }

        @Override
        public boolean labelled() {
            return paths.size() + (includeHost ? 1 : 0) > 1;
        }
    }
}
