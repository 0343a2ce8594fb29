package dev.ssexporter.cli.ship;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.ConfigLoader;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.NamespacesConfig;
import dev.ssexporter.core.folding.LabelFolding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests ({@code deploy/kubernetes}) and the compose files
 * ({@code deploy/compose}), parsed as YAML: least privilege, the same arguments as the original
 * exporter, the config mounted where {@code --config} points, probes on {@code /health}, resources
 * set, names that match between the DaemonSet, Service and ServiceMonitor, and the
 * process-attribution variants adding exactly what attribution needs.
 */
class ManifestsTest {
    private static final String BASE = "deploy/kubernetes/base/";
    private static final List<Object> ARGS = List.of("--port=8020", "--config=/config.yml");
    private static final Set<String> ATTRIBUTION_CAPS = Set.of("SYS_PTRACE", "DAC_READ_SEARCH");

    // ---- Kubernetes ----

    @Test
    void kustomizationListsEveryBaseManifest() {
        Map<String, Object> k = Ship.yamlMap(BASE + "kustomization.yaml");
        assertThat(Ship.list(k.get("resources"), "resources")).containsExactlyInAnyOrder("namespace.yaml",
                "configmap.yaml", "daemonset.yaml", "service.yaml");
        for (Object r : Ship.list(k.get("resources"), "resources")) {
            Ship.file(BASE + r);
        }
    }

    @Test
    void daemonSetRunsWithoutPrivilegeOrCapabilities() {
        Map<String, Object> pod = podSpec(daemonSet());
        assertThat(pod).containsEntry("hostNetwork", true).containsEntry("hostPID", false)
                .containsEntry("automountServiceAccountToken", false);
        Map<String, Object> podSecurity = Ship.map(pod.get("securityContext"), "pod securityContext");
        assertThat(podSecurity).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 65532);
        assertThat(Ship.at(podSecurity, "seccompProfile.type")).isEqualTo("RuntimeDefault");
        Map<String, Object> sc = containerSecurity(container(daemonSet()));
        assertLockedDown(sc);
        assertThat(sc).containsEntry("runAsNonRoot", true);
        assertThat(Ship.map(sc.get("capabilities"), "capabilities")).doesNotContainKey("add");
    }

    @Test
    void containerTakesTheOriginalsArgumentsAndItsConfigFromTheConfigMap() throws Exception {
        Map<String, Object> c = container(daemonSet());
        assertThat(Ship.list(c.get("args"), "args")).isEqualTo(ARGS);
        assertThat(c).doesNotContainKey("command");
        String configPath = "/config.yml";
        Map<String, Object> mount = Ship.map(Ship.list(c.get("volumeMounts"), "volumeMounts").stream()
                .filter(m -> configPath.equals(Ship.map(m, "mount").get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + configPath)), "mount");
        assertThat(mount).containsEntry("readOnly", true);
        Map<String, Object> volume = Ship.map(Ship.list(podSpec(daemonSet()).get("volumes"), "volumes").stream()
                .filter(v -> mount.get("name").equals(Ship.map(v, "volume").get("name"))).findFirst()
                .orElseThrow(), "volume");
        Map<String, Object> configMap = configMap();
        assertThat(Ship.at(volume, "configMap.name")).isEqualTo(Ship.at(configMap, "metadata.name"));
        Map<String, Object> data = Ship.map(configMap.get("data"), "data");
        assertThat(data).containsKey((String) mount.get("subPath"));
        ExporterConfig config = ConfigLoader.parse((String) data.get(mount.get("subPath")), "configmap");
        assertThat(config.folding()).isEqualTo(LabelFolding.RAW_ENDPOINT);
    }

    @Test
    void probesAskHealthOnPort8020() {
        Map<String, Object> c = container(daemonSet());
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            Map<String, Object> get = Ship.map(Ship.at(c, probe + ".httpGet"), probe);
            assertThat(get).as(probe).containsEntry("path", "/health");
            assertThat(containerPort(c, get.get("port"))).as(probe + " port").isEqualTo(8020);
        }
    }

    @Test
    void resourcesAreSetAndLimitsAreAtLeastTheRequests() {
        Map<String, Object> resources = Ship.map(container(daemonSet()).get("resources"), "resources");
        Map<String, Object> requests = Ship.map(resources.get("requests"), "requests");
        Map<String, Object> limits = Ship.map(resources.get("limits"), "limits");
        for (String r : List.of("cpu", "memory")) {
            assertThat(requests).containsKey(r);
            assertThat(limits).containsKey(r);
            assertThat(quantity(limits.get(r))).as(r).isGreaterThanOrEqualTo(quantity(requests.get(r)));
        }
        // The measured peak (docs/deployment.md) is about 210 MB: the limit must hold it.
        assertThat(quantity(limits.get("memory"))).isGreaterThanOrEqualTo(quantity("256Mi"));
    }

    @Test
    void serviceAndServiceMonitorUseTheContainersPortName() {
        Map<String, Object> c = container(daemonSet());
        Map<String, Object> service = Ship.yamlMap(BASE + "service.yaml");
        Map<String, Object> servicePort = Ship.map(Ship.list(Ship.at(service, "spec.ports"), "ports").getFirst(), "port");
        assertThat(containerPort(c, servicePort.get("targetPort"))).isEqualTo(8020);
        assertThat(servicePort.get("port")).isEqualTo(8020);
        Object podLabels = Ship.at(daemonSet(), "spec.template.metadata.labels");
        assertThat(Ship.map(podLabels, "labels")).containsAllEntriesOf(Ship.map(Ship.at(service, "spec.selector"), "selector"));

        Map<String, Object> monitor = Ship.yamlMap("deploy/kubernetes/servicemonitor/servicemonitor.yaml");
        assertThat(monitor).containsEntry("kind", "ServiceMonitor");
        assertThat(Ship.map(Ship.at(service, "metadata.labels"), "labels"))
                .containsAllEntriesOf(Ship.map(Ship.at(monitor, "spec.selector.matchLabels"), "matchLabels"));
        Map<String, Object> endpoint = Ship.map(Ship.list(Ship.at(monitor, "spec.endpoints"), "endpoints").getFirst(), "ep");
        assertThat(endpoint).containsEntry("port", servicePort.get("name")).containsEntry("path", "/metrics");
        assertThat(Ship.list(Ship.at(monitor, "spec.namespaceSelector.matchNames"), "matchNames"))
                .containsExactly(Ship.at(service, "metadata.namespace"));
        // The job label the alert rules match is the Service's name.
        assertThat(Ship.at(service, "metadata.name")).isEqualTo("ss-exporter");
    }

    @Test
    void everyObjectLivesInTheNamespaceThatAllowsHostNetwork() {
        Map<String, Object> ns = Ship.yamlMap(BASE + "namespace.yaml");
        String name = (String) Ship.at(ns, "metadata.name");
        assertThat(Ship.map(Ship.at(ns, "metadata.labels"), "labels"))
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
        for (String f : List.of("configmap.yaml", "daemonset.yaml", "service.yaml")) {
            assertThat(Ship.at(Ship.yamlMap(BASE + f), "metadata.namespace")).as(f).isEqualTo(name);
        }
    }

    @Test
    void processAttributionAddsHostPidAndExactlyTwoCapabilities() throws Exception {
        Map<String, Object> k = Ship.yamlMap("deploy/kubernetes/process-attribution/kustomization.yaml");
        assertThat(Ship.list(k.get("resources"), "resources")).containsExactly("../base");
        Object ds = daemonSet();
        Object cm = configMap();
        for (Object p : Ship.list(k.get("patches"), "patches")) {
            Map<String, Object> patch = Ship.map(p, "patch");
            List<Object> ops = Ship.list(Ship.yamlDocuments("deploy/kubernetes/process-attribution/"
                    + patch.get("path")).getFirst(), "ops");
            String kind = (String) Ship.at(patch, "target.kind");
            if (kind.equals("DaemonSet")) {
                ds = JsonPatch.apply(ds, ops);
            } else {
                assertThat(kind).isEqualTo("ConfigMap");
                cm = JsonPatch.apply(cm, ops);
            }
        }
        Map<String, Object> pod = podSpec(ds);
        assertThat(pod).containsEntry("hostNetwork", true).containsEntry("hostPID", true);
        Map<String, Object> sc = containerSecurity(container(ds));
        assertLockedDown(sc);
        assertThat(Ship.list(Ship.at(sc, "capabilities.add"), "add")).containsExactlyInAnyOrderElementsOf(ATTRIBUTION_CAPS);
        assertThat(Ship.list(Ship.at(ds, "spec.template.spec.containers"), "containers")).hasSize(1);
        ExporterConfig config = ConfigLoader.parse((String) Ship.map(Ship.at(cm, "data"), "data").get("config.yml"),
                "attribution configmap");
        assertThat(config.folding()).isEqualTo(LabelFolding.PID_CONDENSED);
    }

    @Test
    void allNamespacesAddsHostPidTheNetnsDirectoryAndExactlySysAdminAndSysPtrace() throws Exception {
        String dir = "deploy/kubernetes/all-namespaces/";
        Map<String, Object> k = Ship.yamlMap(dir + "kustomization.yaml");
        assertThat(Ship.list(k.get("resources"), "resources")).containsExactly("../base");
        Object ds = daemonSet();
        Object cm = configMap();
        for (Object p : Ship.list(k.get("patches"), "patches")) {
            Map<String, Object> patch = Ship.map(p, "patch");
            List<Object> ops = Ship.list(Ship.yamlDocuments(dir + patch.get("path")).getFirst(), "ops");
            if (Ship.at(patch, "target.kind").equals("DaemonSet")) {
                ds = JsonPatch.apply(ds, ops);
            } else {
                assertThat(Ship.at(patch, "target.kind")).isEqualTo("ConfigMap");
                cm = JsonPatch.apply(cm, ops);
            }
        }
        assertThat(podSpec(ds)).containsEntry("hostNetwork", true).containsEntry("hostPID", true);
        Map<String, Object> sc = containerSecurity(container(ds));
        assertLockedDown(sc);
        assertThat(Ship.list(Ship.at(sc, "capabilities.add"), "add")).containsExactlyInAnyOrder("SYS_ADMIN", "SYS_PTRACE");
        List<Object> mounts = Ship.list(container(ds).get("volumeMounts"), "volumeMounts");
        assertThat(mounts).anySatisfy(m -> assertThat(Ship.map(m, "mount"))
                .containsEntry("mountPath", "/var/run/netns").containsEntry("readOnly", true)
                .containsEntry("mountPropagation", "HostToContainer"));
        assertThat(Ship.list(Ship.at(ds, "spec.template.spec.volumes"), "volumes")).anySatisfy(v ->
                assertThat(Ship.at(v, "hostPath.path")).isEqualTo("/var/run/netns"));
        ExporterConfig config = ConfigLoader.parse((String) Ship.map(Ship.at(cm, "data"), "data").get("config.yml"),
                "all-namespaces configmap");
        assertThat(config.namespaces()).isEqualTo(new NamespacesConfig.All());
    }

    // ---- Docker Compose ----

    @Test
    void composeRunsUnprivilegedOnTheHostNetworkWithAHealthcheck() throws Exception {
        Map<String, Object> svc = composeService("deploy/compose/docker-compose.yml");
        assertThat(svc).doesNotContainKeys("privileged", "cap_add", "pid", "ports")
                .containsEntry("network_mode", "host").containsEntry("read_only", true)
                .containsEntry("user", "65532:65532").containsEntry("mem_limit", "256m");
        assertThat(Ship.list(svc.get("cap_drop"), "cap_drop")).containsExactly("ALL");
        assertThat(Ship.list(svc.get("security_opt"), "security_opt")).contains("no-new-privileges:true");
        assertThat(Ship.list(svc.get("command"), "command")).isEqualTo(ARGS);
        assertThat(Ship.list(svc.get("volumes"), "volumes")).contains("./config.yml:/config.yml:ro");
        ConfigLoader.load(Ship.file("deploy/compose/config.yml"));
        List<Object> test = Ship.list(Ship.at(svc, "healthcheck.test"), "healthcheck.test");
        assertThat(test.getFirst()).isEqualTo("CMD");
        assertThat(test).contains("http://127.0.0.1:8020/health");
    }

    @Test
    void composeAttributionOverrideAddsExactlyWhatAttributionNeeds() {
        Map<String, Object> svc = composeService("deploy/compose/docker-compose.attribution.yml");
        assertThat(svc.keySet()).containsExactlyInAnyOrder("pid", "user", "cap_add");
        assertThat(svc).containsEntry("pid", "host").containsEntry("user", "0:0");
        assertThat(Ship.list(svc.get("cap_add"), "cap_add")).containsExactlyInAnyOrderElementsOf(ATTRIBUTION_CAPS);
    }

    // ---- the Dockerfile ----

    @Test
    void dockerfileBuildsInStagesAndRunsAsNonRootWithTheOriginalsArguments() {
        Dockerfile d = Dockerfile.read();
        assertThat(d.instructions("FROM")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(d.instructions("FROM").getFirst()).contains("${BUILD_IMAGE}").contains("AS build");
        assertThat(d.arg("BUILD_IMAGE")).startsWith("maven:").contains("temurin-25");
        assertThat(d.instructions("RUN")).anySatisfy(r -> assertThat(r)
                .contains("/jlink/jlink.sh \"$JAVA_HOME\" /jlink/ss-exporter.jar /opt/ss-exporter/runtime"));
        assertThat(d.instructions("COPY")).anySatisfy(c -> assertThat(c).contains("deploy/jlink-modules.txt")
                .contains("deploy/jlink.sh"));
        assertThat(d.instructions("USER")).containsExactly("65532:65532");
        assertThat(d.entrypoint()).startsWith("/opt/ss-exporter/runtime/bin/java")
                .contains("--enable-native-access=ALL-UNNAMED")
                .endsWith("-jar", "/opt/ss-exporter/ss-exporter.jar");
        assertThat(d.cmd()).isEqualTo(ARGS);
        // The compose healthcheck's busybox is in the image.
        List<Object> test = Ship.list(Ship.at(composeService("deploy/compose/docker-compose.yml"), "healthcheck.test"), "t");
        assertThat(d.instructions("COPY")).anySatisfy(c -> assertThat(c).endsWith(" " + test.get(1)));
    }

    @Test
    void dockerignoreLetsInWhatTheDockerfileCopies() {
        List<String> rules = Ship.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(rules.getFirst()).isEqualTo("*");
        List<String> sources = new ArrayList<>();
        for (String copy : Dockerfile.read().instructions("COPY")) {
            if (copy.startsWith("--from")) {
                continue;
            }
            String[] words = copy.split("\\s+");
            sources.addAll(List.of(words).subList(0, words.length - 1));
        }
        assertThat(sources).isNotEmpty();
        for (String source : sources) {
            String s = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
            assertThat(rules).as(".dockerignore lets %s in", source)
                    .anySatisfy(r -> assertThat(r.equals("!" + s) || r.equals("!" + s + "/")).isTrue());
            assertThat(Ship.root().resolve(s)).as("COPY source %s", source).exists();
        }
        assertThat(rules).contains("**/target/");
    }

    // ---- helpers ----

    private static void assertLockedDown(Map<String, Object> sc) {
        assertThat(sc).containsEntry("privileged", false).containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true);
        assertThat(Ship.list(Ship.at(sc, "capabilities.drop"), "drop")).containsExactly("ALL");
    }

    private static Map<String, Object> daemonSet() {
        Map<String, Object> ds = Ship.yamlMap(BASE + "daemonset.yaml");
        assertThat(ds).containsEntry("kind", "DaemonSet");
        return ds;
    }

    private static Map<String, Object> configMap() {
        Map<String, Object> cm = Ship.yamlMap(BASE + "configmap.yaml");
        assertThat(cm).containsEntry("kind", "ConfigMap");
        return cm;
    }

    private static Map<String, Object> podSpec(Object ds) {
        return Ship.map(Ship.at(ds, "spec.template.spec"), "pod spec");
    }

    private static Map<String, Object> container(Object ds) {
        List<Object> containers = Ship.list(podSpec(ds).get("containers"), "containers");
        assertThat(containers).hasSize(1);
        return Ship.map(containers.getFirst(), "container");
    }

    private static Map<String, Object> containerSecurity(Map<String, Object> container) {
        return Ship.map(container.get("securityContext"), "container securityContext");
    }

    /** A port given by number or by the container's port name, as a number. */
    private static int containerPort(Map<String, Object> container, Object port) {
        if (port instanceof Integer i) {
            return i;
        }
        for (Object p : Ship.list(container.get("ports"), "ports")) {
            Map<String, Object> m = Ship.map(p, "port");
            if (port.equals(m.get("name"))) {
                return (Integer) m.get("containerPort");
            }
        }
        throw new AssertionError("the container has no port named " + port);
    }

    /** A Kubernetes quantity in base units (cores or bytes). */
    private static double quantity(Object q) {
        String s = String.valueOf(q);
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"m", "0.001"},
            {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}};
        for (String[] suffix : suffixes) {
            if (s.endsWith(suffix[0])) {
                return Double.parseDouble(s.substring(0, s.length() - suffix[0].length())) * Double.parseDouble(suffix[1]);
            }
        }
        return Double.parseDouble(s);
    }

    private static Map<String, Object> composeService(String file) {
        Map<String, Object> services = Ship.map(Ship.yamlMap(file).get("services"), "services");
        assertThat(services).containsOnlyKeys("ss-exporter");
        return Ship.map(services.get("ss-exporter"), "ss-exporter");
    }
}
