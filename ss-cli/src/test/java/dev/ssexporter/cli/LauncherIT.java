package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ss-exporter}, run as a user would. The first tests run the real script on the real
 * JDK and the jar that {@code package} just built; the others run a copy of the script in a
 * scratch tree whose JDKs and {@code mvn} are stand-in scripts that record how they were called,
 * to pin which JDK is chosen, what options reach it and when the jar is rebuilt.
 */
class LauncherIT {
    private static final Path JAR = Path.of(System.getProperty("ssexporter.jar", "ss-cli/target/ss-exporter.jar"))
            .toAbsolutePath();
    private static final Path ROOT = JAR.getParent().getParent().getParent();
    private static final Path LAUNCHER = ROOT.resolve("bin/ss-exporter");
    private static final String DEFAULT_OPTS = "-XX:+UseSerialGC -Xms8m -Xmx40m -XX:+UseCompactObjectHeaders "
            + "-XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=48m -XX:CICompilerCount=2 "
            + "-XX:CompileCommand=quiet -XX:CompileCommand=MemLimit,*.*,12m -XX:+ExitOnOutOfMemoryError -Xshare:auto";
    /** The tools the script uses, and nothing else: no java, no mvn. */
    private static final List<String> TOOLS = List.of("bash", "env", "readlink", "dirname", "sed", "sort", "tail",
            "find", "mkdir", "mktemp", "cat", "rm", "flock", "touch", "mv");

    @TempDir
    Path tmp;

    private Path tools;

    record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void sandboxPath() throws Exception {
        tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : TOOLS) {
            Path real = which(tool);
            if (real != null) {
                Files.createSymbolicLink(tools.resolve(tool), real);
            }
        }
    }

    // ---- the real script, JDK and jar ----

    @Test
    void versionRunsOnAJdk25FoundWithoutJavaHome() throws Exception {
        Run r = run(LAUNCHER, ROOT, Map.of(), "--version");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("ss-exporter ").doesNotContain("development build");
        assertThat(r.out().lines().findFirst().orElseThrow()).matches("ss-exporter \\d+\\.\\d+\\.\\d+.*");
        assertThat(r.out()).containsPattern("\\nJava (2[5-9]|[3-9]\\d)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void dumpPrintsTheTableWithoutJvmWarnings() throws Exception {
        Run r = run(LAUNCHER, ROOT, Map.of(), "dump");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // The columns widen with the largest queue on the machine; only the order is fixed.
        assertThat(r.out()).containsPattern("^State +Recv-Q +Send-Q +Local Address:Port ");
        assertThat(r.err()).doesNotContainIgnoringCase("warning");
    }

    @Test
    void worksThroughASymlinkFromAnyDirectory() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("ssx"), LAUNCHER);
        Path cwd = Files.createDirectories(tmp.resolve("elsewhere"));
        Run r = run(link, cwd, Map.of(), "dump", "--json", "--port", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void noJdkIsOneSentenceAndExit1() throws Exception {
        Path emptyJvmDir = Files.createDirectories(tmp.resolve("jvm"));
        Run r = run(LAUNCHER, ROOT, Map.of("JAVA_HOME", "/nonexistent", "PATH", tools.toString(),
                "SS_EXPORTER_JVM_DIR", emptyJvmDir.toString()), "--version");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("ss-exporter: no JDK 25 or newer found (checked JAVA_HOME=/nonexistent, "
                + emptyJvmDir + " and the java on PATH); install one (e.g. Temurin 25) or set JAVA_HOME to it.\n");
    }

    // ---- a copy of the script over stand-in JDKs and mvn ----

    /** A scratch tree: bin/ss-exporter, a jar, a pom and module sources older than the jar. */
    private Path scratchTree() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("repo"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(LAUNCHER, bin.resolve("ss-exporter"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path main = Files.createDirectories(root.resolve("ss-core/src/main/java"));
        Files.writeString(main.resolve("A.java"), "class A {}");
        Files.writeString(root.resolve("ss-core/pom.xml"), "<project/>");
        Path test = Files.createDirectories(root.resolve("ss-core/src/test/java"));
        Files.writeString(test.resolve("ATest.java"), "class ATest {}");
        Path jar = Files.createDirectories(root.resolve("ss-cli/target")).resolve("ss-exporter.jar");
        Files.writeString(jar, "jar");
        Instant twoHoursAgo = Instant.now().minusSeconds(7200);
        for (Path p : List.of(root.resolve("pom.xml"), root.resolve("ss-core/pom.xml"), main.resolve("A.java"),
                test.resolve("ATest.java"))) {
            Files.setLastModifiedTime(p, FileTime.from(twoHoursAgo));
        }
        Files.setLastModifiedTime(jar, FileTime.from(twoHoursAgo.plusSeconds(3600)));
        return root;
    }

    /** A JDK home whose release file says {@code version} and whose java prints how it was called. */
    private Path fakeJdk(Path jvmDir, String name, String version) throws IOException {
        Path home = Files.createDirectories(jvmDir.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        script(Files.createDirectories(home.resolve("bin")).resolve("java"), """
                #!/bin/sh
                printf 'java=%s\\n' "$0"
                for a in "$@"; do printf 'arg=%s\\n' "$a"; done
                """);
        return home;
    }

    /**
     * A JDK like {@link #fakeJdk}, whose java, when asked to record an AOT cache, logs the call to
     * {@code trainings} and writes the cache, or exits 1 without one while {@code fail} exists.
     */
    private Path fakeTrainingJdk(Path jvmDir, String name, Path trainings, Path fail) throws IOException {
        Path home = fakeJdk(jvmDir, name, "25.0.1");
        script(home.resolve("bin/java"), """
                #!/bin/sh
                for a in "$@"; do
                    case "$a" in -XX:AOTCacheOutput=*)
                        echo "$0 $*" >> '%s'
                        [ -e '%s' ] && exit 1
                        printf cache > "${a#-XX:AOTCacheOutput=}"
                        exit 0;;
                    esac
                done
                printf 'java=%%s\\n' "$0"
                for a in "$@"; do printf 'arg=%%s\\n' "$a"; done
                """.formatted(trainings, fail));
        return home;
    }

    /** An mvn on PATH that records its call and makes the jar, or fails when the tree says so. */
    private Path fakeMvn() throws IOException {
        Path log = tmp.resolve("mvn.log");
        script(tools.resolve("mvn"), """
                #!/bin/sh
                echo "mvn cwd=$PWD JAVA_HOME=$JAVA_HOME MAVEN_OPTS=$MAVEN_OPTS args=$*" >> '%s'
                if [ -e fail-build ]; then echo "[ERROR] COMPILATION ERROR: A.java:[1,1] oops"; exit 1; fi
                echo "some maven chatter"
                mkdir -p ss-cli/target && touch ss-cli/target/ss-exporter.jar
                """.formatted(log));
        return log;
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Map<String, String> fakeEnv(Path jvmDir) {
        return Map.of("PATH", tools.toString(), "SS_EXPORTER_JVM_DIR", jvmDir.toString());
    }

    @Test
    void picksJavaHomeWhenRecentEnoughElseTheNewestJdkInTheJvmDir() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        Path jdk17 = fakeJdk(jvm, "jdk-17", "17.0.15");
        Path jdk25 = fakeJdk(jvm, "jdk-25", "25.0.1");
        Path jdk26 = fakeJdk(jvm, "jdk-26", "26");
        fakeJdk(jvm, "jdk-25.0.10", "25.0.10");
        Path launcher = root.resolve("bin/ss-exporter");

        assertThat(run(launcher, tmp, fakeEnv(jvm), "--version").out())
                .startsWith("java=" + jdk26 + "/bin/java\n");
        Map<String, String> env = new java.util.HashMap<>(fakeEnv(jvm));
        env.put("JAVA_HOME", jdk25.toString());
        assertThat(run(launcher, tmp, env, "--version").out()).startsWith("java=" + jdk25 + "/bin/java\n");
        env.put("JAVA_HOME", jdk17.toString());
        assertThat(run(launcher, tmp, env, "--version").out()).startsWith("java=" + jdk26 + "/bin/java\n");
    }

    @Test
    void passesTheDefaultOptionsOrTheOverrideAndEveryArgumentIntact() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        Path jdk = fakeJdk(jvm, "jdk-25", "25.0.1");
        Path launcher = root.resolve("bin/ss-exporter");
        Path jar = root.resolve("ss-cli/target/ss-exporter.jar");

        Run defaults = run(launcher, tmp, fakeEnv(jvm), "dump", "--state", "time wait", "*");
        assertThat(defaults.exitCode()).as(defaults.err()).isZero();
        assertThat(defaults.out().lines().toList()).isEqualTo(command(jdk, DEFAULT_OPTS,
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "dump", "--state", "time wait", "*"));

        Map<String, String> env = new java.util.HashMap<>(fakeEnv(jvm));
        env.put("SS_EXPORTER_JAVA_OPTS", " -Xmx1g  -Dglob=* ");
        assertThat(run(launcher, tmp, env, "--version").out().lines().toList()).isEqualTo(List.of(
                "java=" + jdk + "/bin/java", "arg=-Xmx1g", "arg=-Dglob=*", "arg=--enable-native-access=ALL-UNNAMED",
                "arg=-jar", "arg=" + jar, "arg=--version"));

        env.put("SS_EXPORTER_JAVA_OPTS", "");
        assertThat(run(launcher, tmp, env).out().lines().toList()).isEqualTo(List.of(
                "java=" + jdk + "/bin/java", "arg=--enable-native-access=ALL-UNNAMED", "arg=-jar", "arg=" + jar));
    }

    @Test
    void replacesOnlyTheHeapBoundWithSsExporterHeap() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        Path jdk = fakeJdk(jvm, "jdk-25", "25.0.1");
        Path launcher = root.resolve("bin/ss-exporter");
        Path jar = root.resolve("ss-cli/target/ss-exporter.jar");

        Map<String, String> env = new java.util.HashMap<>(fakeEnv(jvm));
        env.put("SS_EXPORTER_HEAP", "256m");
        assertThat(run(launcher, tmp, env, "--version").out().lines().toList()).isEqualTo(command(jdk,
                DEFAULT_OPTS.replace("-Xmx40m", "-Xmx256m"), "--enable-native-access=ALL-UNNAMED", "-jar",
                jar.toString(), "--version"));

        env.put("SS_EXPORTER_HEAP", "lots");
        Run bad = run(launcher, tmp, env, "--version");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("SS_EXPORTER_HEAP must be a size", "got 'lots'");

        env.put("SS_EXPORTER_HEAP", "256m");
        env.put("SS_EXPORTER_JAVA_OPTS", "-Xmx1g");
        assertThat(run(launcher, tmp, env, "--version").out().lines().toList())
                .as("SS_EXPORTER_JAVA_OPTS replaces every default, the heap included").contains("arg=-Xmx1g")
                .doesNotContain("arg=-Xmx256m");
    }

    @Test
    void setsTwoMallocArenasUnlessTheEnvironmentSaysOtherwise() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        Path home = fakeJdk(jvm, "jdk-25", "25.0.1");
        script(home.resolve("bin/java"), """
                #!/bin/sh
                printf 'MALLOC_ARENA_MAX=%s\\n' "${MALLOC_ARENA_MAX-unset}"
                """);
        Path launcher = root.resolve("bin/ss-exporter");

        Map<String, String> env = new java.util.HashMap<>(fakeEnv(jvm));
        env.put("SS_EXPORTER_JAVA_OPTS", "-Xmx1g");
        assertThat(run(launcher, tmp, fakeEnv(jvm), "--version").out()).isEqualTo("MALLOC_ARENA_MAX=2\n");
        assertThat(run(launcher, tmp, env, "--version").out()).isEqualTo("MALLOC_ARENA_MAX=2\n");
        env.put("MALLOC_ARENA_MAX", "8");
        assertThat(run(launcher, tmp, env, "--version").out()).isEqualTo("MALLOC_ARENA_MAX=8\n");
    }

    @Test
    void recordsTheAotCacheOncePerJarAndJdkAndStartsWithIt() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        Path trainings = tmp.resolve("trainings.log");
        Path fail = tmp.resolve("fail-training");
        Path jdk = fakeTrainingJdk(jvm, "jdk-25", trainings, fail);
        Path launcher = root.resolve("bin/ss-exporter");
        Path jar = root.resolve("ss-cli/target/ss-exporter.jar");
        Path cache = root.resolve("ss-cli/target/ss-exporter.aot");
        String trainingOpts = DEFAULT_OPTS.replace(" -Xshare:auto", "");
        List<String> withCache = command(jdk, trainingOpts, "-XX:AOTCache=" + cache, "-Xlog:aot=off",
                "-Xlog:cds=off", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "--version");

        Run first = run(launcher, tmp, fakeEnv(jvm), "--version");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(first.out().lines().toList()).isEqualTo(withCache);
        assertThat(Files.readString(trainings)).matches(jdk + "/bin/java " + java.util.regex.Pattern.quote(trainingOpts)
                + " --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=" + root + "/ss-cli/target/\\.ss-exporter\\.aot\\.\\d+"
                + " -cp " + jar + " dev\\.ssexporter\\.cli\\.AotTraining\n");
        assertThat(cache).hasContent("cache");

        // Once per jar: the next start uses it as it is.
        assertThat(run(launcher, tmp, fakeEnv(jvm), "--version").out().lines().toList()).isEqualTo(withCache);
        assertThat(Files.readAllLines(trainings)).hasSize(1);

        // A new jar, or another JDK, records it again.
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(30)));
        run(launcher, tmp, fakeEnv(jvm), "--version");
        assertThat(Files.readAllLines(trainings)).hasSize(2);
        Path other = fakeTrainingJdk(jvm, "jdk-25.0.2", trainings, fail);
        Files.writeString(other.resolve("release"), "JAVA_VERSION=\"25.0.2\"\n");
        run(launcher, tmp, fakeEnv(jvm), "--version");
        assertThat(Files.readAllLines(trainings)).hasSize(3).last().asString().startsWith(other + "/bin/java ");

        // SS_EXPORTER_JAVA_OPTS: neither made nor used.
        Map<String, String> env = new java.util.HashMap<>(fakeEnv(jvm));
        env.put("SS_EXPORTER_JAVA_OPTS", "-Xmx1g");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(run(launcher, tmp, env, "--version").out()).doesNotContain("AOT");
        assertThat(Files.readAllLines(trainings)).hasSize(3);
    }

    @Test
    void aFailedAotTrainingStartsWithoutTheCacheAndIsNotRetriedForTheSameJar() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        Path trainings = tmp.resolve("trainings.log");
        Path fail = Files.writeString(tmp.resolve("fail-training"), "");
        Path jdk = fakeTrainingJdk(jvm, "jdk-25", trainings, fail);
        Path launcher = root.resolve("bin/ss-exporter");
        List<String> withoutCache = command(jdk, DEFAULT_OPTS, "--enable-native-access=ALL-UNNAMED", "-jar",
                root.resolve("ss-cli/target/ss-exporter.jar").toString(), "--version");

        for (int i = 0; i < 2; i++) {
            Run r = run(launcher, tmp, fakeEnv(jvm), "--version");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out().lines().toList()).isEqualTo(withoutCache);
        }
        assertThat(Files.readAllLines(trainings)).hasSize(1);
        try (var leftovers = Files.list(root.resolve("ss-cli/target"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".ss-exporter.aot."));
        }
    }

    @Test
    void rebuildsTheJarOnlyWhenItIsMissingOrOlderThanAPomOrAMainSource() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        Path jdk = fakeJdk(jvm, "jdk-25", "25.0.1");
        Path mvnLog = fakeMvn();
        Path launcher = root.resolve("bin/ss-exporter");
        Path jar = root.resolve("ss-cli/target/ss-exporter.jar");
        String build = "mvn cwd=" + root + " JAVA_HOME=" + jdk
                + " MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow  args=-B -q -Dmaven.test.skip=true package\n";

        Run fresh = run(launcher, tmp, fakeEnv(jvm), "--version");
        assertThat(fresh.exitCode()).isZero();
        assertThat(mvnLog).doesNotExist();

        newerThanJar(root.resolve("ss-core/src/test/java/ATest.java"), jar);
        assertThat(run(launcher, tmp, fakeEnv(jvm), "--version").exitCode()).isZero();
        assertThat(mvnLog).doesNotExist();

        newerThanJar(root.resolve("ss-core/src/main/java/A.java"), jar);
        Run rebuilt = run(launcher, tmp, fakeEnv(jvm), "--version");
        assertThat(rebuilt.exitCode()).isZero();
        assertThat(rebuilt.err()).isEmpty();
        assertThat(rebuilt.out()).startsWith("java=" + jdk + "/bin/java\n").doesNotContain("maven chatter");
        assertThat(mvnLog).hasContent(build.strip());

        run(launcher, tmp, fakeEnv(jvm), "--version");
        assertThat(Files.readString(mvnLog)).isEqualTo(build);

        newerThanJar(root.resolve("ss-core/pom.xml"), jar);
        run(launcher, tmp, fakeEnv(jvm), "--version");
        Files.delete(jar);
        run(launcher, tmp, fakeEnv(jvm), "--version");
        assertThat(Files.readString(mvnLog)).isEqualTo(build.repeat(3));
    }

    @Test
    void aFailedBuildShowsMavensOutputAndExits1() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdk(jvm, "jdk-25", "25.0.1");
        fakeMvn();
        Files.writeString(root.resolve("fail-build"), "");
        Files.delete(root.resolve("ss-cli/target/ss-exporter.jar"));

        Run r = run(root.resolve("bin/ss-exporter"), tmp, fakeEnv(jvm), "--version");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("[ERROR] COMPILATION ERROR: A.java:[1,1] oops\n"
                + "ss-exporter: building the jar failed (mvn -B -q -Dmaven.test.skip=true package in " + root
                + "); see above.\n");
    }

    @Test
    void aMissingJarWithoutMavenSaysSo() throws Exception {
        Path root = scratchTree();
        Path jvm = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdk(jvm, "jdk-25", "25.0.1");
        Files.delete(root.resolve("ss-cli/target/ss-exporter.jar"));
        Run r = run(root.resolve("bin/ss-exporter"), tmp, fakeEnv(jvm), "--version");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("ss-exporter: " + root.resolve("ss-cli/target/ss-exporter.jar")
                + " is missing or older than the sources, and mvn is not on PATH to build it;").hasLineCount(1);
    }

    /** Ages the jar to an hour ago and makes {@code file} newer than it, but older than a jar built now. */
    private static void newerThanJar(Path file, Path jar) throws IOException {
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(1800)));
    }

    /** Runs {@code script} in {@code cwd} with this JVM's environment less JAVA_HOME, plus {@code env}. */
    private static Run run(Path script, Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("SS_EXPORTER_JAVA_OPTS");
        pb.environment().remove("MAVEN_OPTS");
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("bin/ss-exporter " + String.join(" ", args) + " did not end in 5 minutes");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * What the fake {@code java} prints for a command line: its path, then each of the
     * space-separated {@code opts} and each of {@code args} as one {@code arg=} line.
     */
    private static List<String> command(Path jdk, String opts, String... args) {
        List<String> lines = new ArrayList<>(List.of("java=" + jdk + "/bin/java"));
        for (String opt : opts.split(" ")) {
            lines.add("arg=" + opt);
        }
        for (String arg : args) {
            lines.add("arg=" + arg);
        }
        return lines;
    }
}
