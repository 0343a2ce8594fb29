package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code logic.namespaces}: its three forms, both spellings, and every error with its position. */
class NamespacesMapperTest {

    private static NamespacesConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "config.yml").namespaces();
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "config.yml")).getMessage();
    }

    @Test
    void absentIsTheHostNamespace() throws ConfigException {
        assertThat(parse("logic: {}\n")).isEqualTo(NamespacesConfig.host());
        assertThat(parse("logic:\n  namespaces:\n")).isEqualTo(NamespacesConfig.host());
        assertThat(ExporterConfig.defaults().namespaces()).isEqualTo(NamespacesConfig.host());
        assertThat(NamespacesConfig.host().labelled()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"namespaces", "networkNamespaces", "network_namespaces"})
    void everySpellingReadsTheSame(String key) throws ConfigException {
        assertThat(parse("logic:\n  " + key + ": all\n")).isEqualTo(new NamespacesConfig.All());
        assertThat(parse("logic:\n  " + key + ": host\n")).isEqualTo(NamespacesConfig.host());
    }

    @Test
    void allIsLabelled() throws ConfigException {
        assertThat(parse("logic:\n  namespaces: all\n").labelled()).isTrue();
    }

    @Test
    void aListKeepsOrderAndNamesTheHost() throws ConfigException {
        NamespacesConfig c = parse("""
                logic:
                  namespaces:
                    - /var/run/netns/blue
                    - host
                    - /proc/1234/ns/net
                """);
        assertThat(c).isEqualTo(new NamespacesConfig.Listed(true,
                List.of(Path.of("/var/run/netns/blue"), Path.of("/proc/1234/ns/net"))));
        assertThat(c.labelled()).isTrue();
    }

    @Test
    void oneListedNamespaceIsNotLabelled() throws ConfigException {
        NamespacesConfig c = parse("logic:\n  namespaces: [/var/run/netns/blue]\n");
        assertThat(c.labelled()).isFalse();
        assertThat(parse("logic:\n  namespaces: [host]\n").labelled()).isFalse();
    }

    @Test
    void errorsSayWhatWasExpectedAndWhere() {
        assertThat(error("logic:\n  namespaces: everything\n")).isEqualTo("config.yml:2:15: logic.namespaces:"
                + " expected 'host', 'all' or a list of network namespace files such as"
                + " [/var/run/netns/blue, /proc/1234/ns/net], got \"everything\"");
        assertThat(error("logic:\n  namespaces: /var/run/netns/blue\n")).endsWith(
                "got \"/var/run/netns/blue\" (a single path is written as a list: [/var/run/netns/blue])");
        assertThat(error("logic:\n  namespaces: 3\n")).startsWith("config.yml:2:15: logic.namespaces: expected")
                .endsWith("got the integer 3");
        assertThat(error("logic:\n  namespaces: {a: 1}\n")).endsWith("got a mapping");
        assertThat(error("logic:\n  namespaces: []\n")).isEqualTo("config.yml:2:15: logic.namespaces:"
                + " an empty list reads no namespace; leave the key out or write 'host'");
    }

    @Test
    void listErrorsPointAtTheElement() {
        assertThat(error("""
                logic:
                  namespaces:
                    - netns/blue
                    - 7
                    - all
                    - /var/run/netns/red
                    - /var/run/netns/red
                """)).isEqualTo("""
                config.yml:3:7: logic.namespaces[0]: expected an absolute path of a network namespace file\
                 (/var/run/netns/NAME or /proc/PID/ns/net) or 'host', got "netns/blue"
                config.yml:4:7: logic.namespaces[1]: expected a string, got the integer 7
                config.yml:5:7: logic.namespaces[2]: 'all' cannot be part of a list; write namespaces: all
                config.yml:7:7: logic.namespaces[4]: "/var/run/netns/red" is listed twice; first at line 6""");
    }

    @Test
    void bothSpellingsAtOnceIsAnError() {
        assertThat(error("logic:\n  namespaces: all\n  network_namespaces: host\n"))
                .isEqualTo("config.yml:3:3: logic.network_namespaces: both namespaces and network_namespaces given;"
                        + " use one");
    }

    @Test
    void theRecordRefusesWhatTheMapperReports() {
        assertThatThrownBy(() -> new NamespacesConfig.Listed(false, List.of()))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> new NamespacesConfig.Listed(false, List.of(Path.of("x"))))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> new NamespacesConfig.Listed(false, List.of(Path.of("/a"), Path.of("/a"))))
                .hasMessageContaining("twice");
    }
}
