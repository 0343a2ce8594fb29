package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ssexporter.core.selection.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregationConfigTest {

    private static AggregationConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "config.yml").aggregation();
    }

    @Test
    void absentMeansStatesAndListenersOnServicesOff() throws ConfigException {
        assertThat(parse("")).isEqualTo(AggregationConfig.defaults());
        assertThat(parse("logic: {aggregation: {}}")).isEqualTo(AggregationConfig.defaults());
        assertThat(parse("logic: {aggregation: {services: {}}}").services().active())
                .as("services present without active keep their default").isFalse();
        assertThat(AggregationConfig.defaults()).isEqualTo(
                new AggregationConfig(true, true, new ServicesConfig(false, List.of(), 100)));
    }

    @Test
    void aKernelFilteredSelectionTurnsTheCountsOffUnlessAskedFor() throws ConfigException {
        String ports = "logic: {selection: {portRanges: [{lower: 40000, upper: 40281}]}";
        assertThat(parse(ports + "}")).as("port ranges, no aggregation section")
                .isEqualTo(new AggregationConfig(false, false, ServicesConfig.off()))
                .isEqualTo(AggregationConfig.defaultsFor(true));
        assertThat(parse(ports + ", aggregation: {socketStates: {active: true}}}"))
                .isEqualTo(new AggregationConfig(true, false, ServicesConfig.off()));
        assertThat(parse(ports + ", aggregation: {listeners: {active: true}}}"))
                .isEqualTo(new AggregationConfig(false, true, ServicesConfig.off()));
        assertThat(parse("logic: {selection: {peering: {networks: [\"10.0.0.0/8\"]}}}"))
                .as("peering networks are filtered in the kernel too").isEqualTo(AggregationConfig.defaultsFor(true));
        assertThat(parse("logic: {selection: {process: {pids: [1]}}}"))
                .as("a process selection is checked in Java; the one dump still covers every socket")
                .isEqualTo(AggregationConfig.defaults());
    }

    @Test
    void mapsEveryKeyInBothSpellingsWithPeerGroupsInFileOrder() throws ConfigException {
        String camel = """
                logic:
                  aggregation:
                    socketStates: {active: false}
                    listeners: {active: false}
                    services:
                      active: true
                      maxServices: 20
                      peerGroups:
                        lab: ["10.1.0.0/16"]
                        internal: ["10.0.0.0/8", "fd00::/8"]
                """;
        AggregationConfig expected = new AggregationConfig(false, false, new ServicesConfig(true, List.of(
                new PeerGroup("lab", List.of(Cidr.parse("10.1.0.0/16"))),
                new PeerGroup("internal", List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")))), 20));
        assertThat(parse(camel)).isEqualTo(expected);
        assertThat(parse(camel.replace("socketStates", "socket_states").replace("maxServices", "max_services")
                .replace("peerGroups", "peer_groups"))).isEqualTo(expected);
    }

    @Test
    void reportsEveryErrorWithItsPath() {
        String yaml = """
                logic:
                  aggregation:
                    socketStates: true
                    listeners: {active: yes}
                    services:
                      maxServices: 0
                      peerGroups:
                        other: ["10.0.0.0/8"]
                        lab: ["10.0.0.0/33", 7]
                        empty: []
                        flat: "10.0.0.0/8"
                """;
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "config.yml"));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "config.yml:3:19: logic.aggregation.socketStates: expected a mapping such as {active: true}, got"
                        + " the boolean true",
                "config.yml:4:25: logic.aggregation.listeners.active: expected a boolean (true or false), got the"
                        + " string \"yes\"",
                "config.yml:6:20: logic.aggregation.services.maxServices: maxServices must be in 1..10000, got 0",
                "config.yml:8:9: logic.aggregation.services.peerGroups.other: the peer group name \"other\" is"
                        + " reserved for peers in no group",
                "config.yml:9:15: logic.aggregation.services.peerGroups.lab[0]: invalid CIDR \"10.0.0.0/33\":"
                        + " prefix length 33 exceeds 32 for IPv4",
                "config.yml:9:30: logic.aggregation.services.peerGroups.lab[1]: expected a string, got the integer 7",
                "config.yml:10:16: logic.aggregation.services.peerGroups.empty: peer group \"empty\" needs at least"
                        + " one network",
                "config.yml:11:15: logic.aggregation.services.peerGroups.flat: expected a list of networks, got the"
                        + " string \"10.0.0.0/8\"");
    }
}
