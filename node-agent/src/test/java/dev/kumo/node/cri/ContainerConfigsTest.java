package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.cri.v1.ContainerConfig;
import dev.kumo.node.cri.v1.KeyValue;
import dev.kumo.node.cri.v1.LinuxContainerResources;
import dev.kumo.node.cri.v1.NamespaceMode;
import dev.kumo.node.cri.v1.PodSandboxConfig;
import dev.kumo.node.cri.v1.Protocol;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pod and container configurations the cri runtime sends, against what the kubelet would send. */
class ContainerConfigsTest {
    private static final long GIB = 1L << 30;

    private static ObjectNode pod(String containers, String status) {
        return object("""
                {"metadata": {"name": "web", "namespace": "shop", "uid": "u-1", "labels": {"app": "web"},
                              "annotations": {"note": "x"}},
                 "spec": {"nodeName": "n1", "serviceAccountName": "sa", "terminationGracePeriodSeconds": 7,
                          "containers": [%s]},
                 "status": %s}""".formatted(containers, status));
    }

    @Test
    void resourcesAreTheKubeletsCgroupSettings() {
        ObjectNode pod = pod("""
                {"name": "c", "resources": {"requests": {"cpu": "250m", "memory": "1Gi"},
                                            "limits": {"cpu": "1500m", "memory": "2Gi"}}}""", "{}");
        LinuxContainerResources linux = ContainerResources.of(pod, pod.path("spec").path("containers").get(0),
                4 * GIB);
        assertThat(linux.getCpuShares()).isEqualTo(256);
        assertThat(linux.getCpuPeriod()).isEqualTo(100_000);
        assertThat(linux.getCpuQuota()).isEqualTo(150_000);
        assertThat(linux.getMemoryLimitInBytes()).isEqualTo(2 * GIB);
        assertThat(linux.getOomScoreAdj()).as("Burstable: 1000 - 1000 * 1Gi / 4Gi").isEqualTo(750);

        assertThat(ContainerResources.milliCpuToShares(0)).isEqualTo(2);
        assertThat(ContainerResources.milliCpuToShares(1)).isEqualTo(2);
        assertThat(ContainerResources.milliCpuToQuota(0, 100_000)).isZero();
        assertThat(ContainerResources.milliCpuToQuota(5, 100_000)).as("at least 1 ms").isEqualTo(1000);
    }

    @Test
    void qosClassesGiveTheKubeletsOomScores() {
        ObjectNode guaranteed = pod("""
                {"name": "c", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}""", "{}");
        ObjectNode bestEffort = pod("""
                {"name": "c"}""", "{}");
        ObjectNode limitOnlyCpu = pod("""
                {"name": "c", "resources": {"limits": {"cpu": "2"}}}""", "{}");
        assertThat(ContainerResources.qosClass(guaranteed)).isEqualTo("Guaranteed");
        assertThat(ContainerResources.qosClass(bestEffort)).isEqualTo("BestEffort");
        assertThat(ContainerResources.qosClass(limitOnlyCpu)).isEqualTo("Burstable");
        assertThat(ContainerResources.oomScoreAdj(guaranteed, guaranteed.path("spec").path("containers").get(0),
                GIB)).isEqualTo(-997);
        assertThat(ContainerResources.oomScoreAdj(bestEffort, bestEffort.path("spec").path("containers").get(0),
                GIB)).isEqualTo(1000);
        assertThat(ContainerResources.of(limitOnlyCpu, limitOnlyCpu.path("spec").path("containers").get(0), GIB)
                .getCpuShares()).as("the request defaults to the limit").isEqualTo(2048);
        assertThat(ContainerResources.qosClass(pod("{\"name\": \"c\"}", "{\"qosClass\": \"Guaranteed\"}")))
                .as("the API server's word wins").isEqualTo("Guaranteed");
    }

    @Test
    void containerConfigCarriesCommandEnvLabelsAndLogPath() throws Exception {
        ObjectNode pod = pod("""
                {"name": "app", "image": "kumo.local/busybox:latest", "workingDir": "/srv",
                 "command": ["sh", "-c"], "args": ["echo $(GREETING) $$(GREETING) $(MISSING)"],
                 "env": [{"name": "WHO", "value": "world"},
                         {"name": "GREETING", "value": "hello $(WHO)"},
                         {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                         {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
                         {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}]}""", "{}");
        PodSandboxConfig sandbox = SandboxConfigs.of(pod, 0, Path.of("/var/log/pods"));
        ContainerConfig config = ContainerConfigs.of(pod, pod.path("spec").path("containers").get(0),
                CriLabels.KIND_REGULAR, 2, "sha256:abc", sandbox,
                new ContainerConfigs.PodContext("10.244.0.5", "172.30.0.2", 4 * GIB, null));

        assertThat(config.getMetadata().getName()).isEqualTo("app");
        assertThat(config.getMetadata().getAttempt()).isEqualTo(2);
        assertThat(config.getImage().getImage()).isEqualTo("sha256:abc");
        assertThat(config.getImage().getUserSpecifiedImage()).isEqualTo("kumo.local/busybox:latest");
        assertThat(config.getCommandList()).containsExactly("sh", "-c");
        assertThat(config.getArgsList()).containsExactly("echo hello world $(GREETING) $(MISSING)");
        assertThat(config.getWorkingDir()).isEqualTo("/srv");
        assertThat(config.getEnvsList()).extracting(KeyValue::getKey, KeyValue::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple("WHO", "world"),
                org.assertj.core.groups.Tuple.tuple("GREETING", "hello world"),
                org.assertj.core.groups.Tuple.tuple("POD", "web"),
                org.assertj.core.groups.Tuple.tuple("APP", "web"),
                org.assertj.core.groups.Tuple.tuple("IP", "10.244.0.5"));
        assertThat(config.getLabelsMap()).containsEntry("io.kubernetes.pod.uid", "u-1")
                .containsEntry("io.kubernetes.container.name", "app");
        assertThat(config.getAnnotationsMap()).containsEntry("io.kubernetes.container.restartCount", "2")
                .containsEntry("io.kubernetes.pod.terminationGracePeriod", "7");
        assertThat(config.getLogPath()).isEqualTo("app/2.log");
        assertThat(config.getLinux().getSecurityContext().getNamespaceOptions().getPid())
                .isEqualTo(NamespaceMode.CONTAINER);
    }

    @Test
    void valuesFromTheApiWithoutAnApiClientAreRefusedWithAReason() {
        ObjectNode pod = pod("""
                {"name": "app", "env": [{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k"}}}]}
                """, "{}");
        assertThatThrownBy(() -> ContainerConfigs.environment(pod, pod.path("spec").path("containers").get(0),
                new ContainerConfigs.PodContext("", "", 0, null))).isInstanceOf(ContainerConfigs.ConfigError.class)
                .hasMessage("env K: values from ConfigMaps and Secrets need the API, which this runtime was started "
                        + "without");
    }

    @Test
    void sandboxConfigNamesThePodAndMapsHostPorts() {
        ObjectNode pod = pod("""
                {"name": "app", "ports": [{"containerPort": 80, "hostPort": 8080},
                                          {"containerPort": 53, "protocol": "UDP", "hostPort": 5353},
                                          {"containerPort": 9090}]}""", "{}");
        pod.with("spec").put("dnsPolicy", "None").putObject("dnsConfig").putArray("nameservers").add("10.96.0.10");
        pod.with("spec").with("dnsConfig").putArray("options").addObject().put("name", "ndots").put("value", "5");
        PodSandboxConfig config = SandboxConfigs.of(pod, 1, Path.of("/var/log/pods"));

        assertThat(config.getMetadata().getName()).isEqualTo("web");
        assertThat(config.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(config.getMetadata().getUid()).isEqualTo("u-1");
        assertThat(config.getMetadata().getAttempt()).isEqualTo(1);
        assertThat(config.getHostname()).isEqualTo("web");
        assertThat(config.getLogDirectory()).isEqualTo("/var/log/pods/shop_web_u-1");
        assertThat(config.getLabelsMap()).isEqualTo(Map.of("app", "web", "io.kubernetes.pod.name", "web",
                "io.kubernetes.pod.namespace", "shop", "io.kubernetes.pod.uid", "u-1"));
        assertThat(config.getAnnotationsMap()).isEqualTo(Map.of("note", "x"));
        assertThat(config.getPortMappingsList()).hasSize(2);
        assertThat(config.getPortMappings(1).getProtocol()).isEqualTo(Protocol.UDP);
        assertThat(config.getPortMappings(1).getHostPort()).isEqualTo(5353);
        assertThat(config.getDnsConfig().getServersList()).containsExactly("10.96.0.10");
        assertThat(config.getDnsConfig().getOptionsList()).containsExactly("ndots:5");
    }

    @Test
    void pullPoliciesDefaultAsTheApiDefaultsThem() {
        assertThat(ImagePuller.defaultPolicy("busybox")).isEqualTo("Always");
        assertThat(ImagePuller.defaultPolicy("busybox:latest")).isEqualTo("Always");
        assertThat(ImagePuller.defaultPolicy("localhost:5000/busybox")).isEqualTo("Always");
        assertThat(ImagePuller.defaultPolicy("busybox:1.36")).isEqualTo("IfNotPresent");
        assertThat(ImagePuller.defaultPolicy("busybox@sha256:0123")).isEqualTo("IfNotPresent");
        assertThat(ImagePuller.isLocal("kumo.local/busybox:latest")).isTrue();
        assertThat(ImagePuller.isLocal("docker.io/library/busybox")).isFalse();
    }
}
