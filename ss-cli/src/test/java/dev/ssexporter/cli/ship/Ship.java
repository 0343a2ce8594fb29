package dev.ssexporter.cli.ship;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What the shipping tests share: the repository's files, YAML documents as plain maps and lists,
 * the external tools they need, and running a command to completion.
 *
 * <p>A tool a test needs ({@code promtool}, {@code systemd-analyze}, {@code busybox}) must be
 * installed: a missing one fails the test with the Debian package to install, it never skips.
 */
final class Ship {
    /** How long one external command may run. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private Ship() {}

    /** The repository's root: the first directory upwards from the working directory with {@code deploy/}. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("ss-cli"))) {
                return d;
            }
        }
        throw new AssertionError("no repository root (a directory with pom.xml and ss-cli/) above " + dir);
    }

    /** A file of the repository, which must exist. */
    static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError(relative + " does not exist in " + root());
        }
        return p;
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of a repository file, as maps, lists and scalars. */
    static List<Object> yamlDocuments(String relative) {
        Load load = new Load(LoadSettings.builder().setLabel(relative).build());
        List<Object> docs = new java.util.ArrayList<>();
        for (Object doc : load.loadAllFromString(read(relative))) {
            if (doc != null) {
                docs.add(doc);
            }
        }
        return docs;
    }

    /** The only YAML document of a repository file, which must be a mapping. */
    static Map<String, Object> yamlMap(String relative) {
        List<Object> docs = yamlDocuments(relative);
        if (docs.size() != 1) {
            throw new AssertionError(relative + " has " + docs.size() + " YAML documents, expected one");
        }
        return map(docs.getFirst(), relative);
    }

    /** {@code value} as a mapping, or a failure naming {@code where}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new AssertionError(where + ": expected a mapping, got " + value);
        }
        return (Map<String, Object>) m;
    }

    /** {@code value} as a list, or a failure naming {@code where}. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String where) {
        if (!(value instanceof List<?> l)) {
            throw new AssertionError(where + ": expected a list, got " + value);
        }
        return (List<Object>) l;
    }

    /** The value at a dotted path of mapping keys ({@code spec.template.spec}); a failure when absent. */
    static Object at(Object root, String path) {
        Object v = root;
        for (String key : path.split("\\.")) {
            Map<String, Object> m = map(v, path + " (at " + key + ")");
            if (!m.containsKey(key)) {
                throw new AssertionError(path + ": no key " + key + " in " + m.keySet());
            }
            v = m.get(key);
        }
        return v;
    }

    /** The command's path on {@code PATH}; fails with the package that provides it when missing. */
    static Path requireTool(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed (not found on PATH=" + path + "); this test needs it: "
                + "install the Debian package " + debianPackage + " (.ci/run does)");
    }

    /** A finished command: exit code, stdout and stderr. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n"
                    + stderr;
        }
    }

    /** Runs {@code command} in {@code dir} to completion within {@link #COMMAND_TIMEOUT}, no stdin. */
    static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ship-", ".out");
        Path err = Files.createTempFile("ship-", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within "
                        + COMMAND_TIMEOUT.toSeconds() + " s; stderr:\n" + Files.readString(err));
            }
            return new Result(List.copyOf(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
