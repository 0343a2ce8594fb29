package dev.ssexporter.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A commented sample config listing every key with its default, and an example of each
 * selection (commented out). {@link ConfigLoader#parse} maps it to {@link ExporterConfig#defaults()}.
 * The text is the resource {@code sample-config.yml} next to this class.
 */
public final class SampleConfig {
    private static final String RESOURCE = "sample-config.yml";

    private SampleConfig() {
    }

    /** The sample config text. */
    public static String text() {
        return Holder.TEXT;
    }

    private static final class Holder {
        static final String TEXT = read();

        private static String read() {
            try (InputStream in = SampleConfig.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCE + " is missing next to "
                            + SampleConfig.class.getName());
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
            }
        }
    }
}
