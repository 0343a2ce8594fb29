package dev.ssexporter.cli.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipping docs stay true to the code: every Java example in {@code docs/library.md} compiles
 * against the current API, and every relative link in the pages of this package's concern points
 * at a file or directory that exists.
 */
class DocsExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final List<String> PAGES = List.of("docs/README.md", "docs/deployment.md", "docs/library.md",
            "docs/migration.md", "docs/alerts.md", "docs/security.md");
    // -Xlint:-try: the examples name their resources for the reader even where the body does not use them.
    /** What a fragment (a block without a class) may use without importing it. */
    private static final String FRAGMENT_IMPORTS = """
            import dev.ssexporter.core.config.*;
            import dev.ssexporter.exporter.*;
            import io.prometheus.metrics.model.registry.PrometheusRegistry;
            import java.nio.file.Path;
            """;

    @TempDir
    Path tmp;

    @Test
    void everyJavaExampleOfTheLibraryGuideCompiles() throws Exception {
        Matcher m = JAVA_BLOCK.matcher(Ship.read("docs/library.md"));
        List<Path> sources = new ArrayList<>();
        int n = 0;
        while (m.find()) {
            String code = m.group(1);
            Matcher named = Pattern.compile("public class (\\w+)").matcher(code);
            String name;
            if (named.find()) {
                name = named.group(1);
            } else {
                name = "Fragment" + n;
                code = FRAGMENT_IMPORTS + "class " + name + " {\n void run() throws Exception {\n" + code + "\n }\n}\n";
            }
            n++;
            sources.add(Files.writeString(tmp.resolve(name + ".java"), code));
        }
        assertThat(sources).as("java blocks in docs/library.md").hasSizeGreaterThanOrEqualTo(2);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        List<String> args = new ArrayList<>(List.of("-d", tmp.resolve("classes").toString(), "-classpath",
                System.getProperty("java.class.path"), "-Xlint:all,-try", "-Werror", "-proc:none"));
        sources.forEach(s -> args.add(s.toString()));
        StringWriter out = new StringWriter();
        int rc = javac.run(null, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        out.write(b);
                    }
                }), args.toArray(String[]::new));
        assertThat(rc).as("javac on the examples of docs/library.md:%n%s", out).isZero();
    }

    @Test
    void relativeLinksPointAtExistingFiles() {
        List<String> broken = new ArrayList<>();
        for (String page : PAGES) {
            Path base = Ship.file(page).getParent();
            Matcher m = LINK.matcher(Ship.read(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")) {
                    continue;
                }
                String file = target.replaceAll("#.*", "");
                if (!Files.exists(base.resolve(file).normalize())) {
                    broken.add(page + ": " + target);
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }
}
