package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

class PodStatusBuilderTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:05.250Z");
    private static final PodStatusBuilder BUILDER = new PodStatusBuilder("172.30.0.1");

    private static ObjectNode pod(String spec) {
        return object("""
                {"metadata": {"name": "web", "namespace": "default", "uid": "u1"},
                 "spec": %s,
                 "status": {"phase": "Pending", "qosClass": "BestEffort", "nominatedNodeName": "n0",
                            "conditions": [{"type": "PodScheduled", "status": "True",
                                            "lastTransitionTime": "2025-03-01T10:00:00Z"}]}}
                """.formatted(spec));
    }

    private static RuntimeContainer running(String name) {
        return RuntimeContainer.running(name, "busybox", "sha256:aa", "simulated://" + name, 0, T0, true);
    }

    @Test
    void aRunningPodGetsTheKubeletsStatus() {
        ObjectNode pod = pod("""
                {"containers": [{"name": "c", "image": "busybox"}]}""");
        RuntimePod runtime = new RuntimePod(true, List.of("10.244.0.2"), List.of(), List.of(running("c")));

        ObjectNode status = BUILDER.build(pod, runtime, false, NOW);

        assertThat(status.path("phase").asText()).isEqualTo("Running");
        assertThat(types(status)).containsExactly("PodReadyToStartContainers", "Initialized", "Ready",
                "ContainersReady", "PodScheduled");
        status.path("conditions").forEach(c -> assertThat(c.path("status").asText()).isEqualTo("True"));
        assertThat(condition(status, "PodScheduled").path("lastTransitionTime").asText())
                .as("kept while its status holds").isEqualTo("2025-03-01T10:00:00Z");
        assertThat(condition(status, "Ready").path("lastTransitionTime").asText()).isEqualTo("2025-03-01T10:00:05Z");
        assertThat(status.path("podIP").asText()).isEqualTo("10.244.0.2");
        assertThat(status.path("podIPs")).isEqualTo(object("""
                {"a": [{"ip": "10.244.0.2"}]}""").get("a"));
        assertThat(status.path("hostIP").asText()).isEqualTo("172.30.0.1");
        assertThat(status.path("hostIPs").get(0).path("ip").asText()).isEqualTo("172.30.0.1");
        assertThat(status.path("startTime").asText()).isEqualTo("2025-03-01T10:00:05Z");
        assertThat(status.path("qosClass").asText()).as("not the kubelet's: carried over").isEqualTo("BestEffort");
        assertThat(status.path("nominatedNodeName").asText()).isEqualTo("n0");
        assertThat(status.has("initContainerStatuses")).isFalse();
        assertThat(status.path("containerStatuses").get(0)).isEqualTo(object("""
                {"name": "c", "state": {"running": {"startedAt": "2025-03-01T10:00:00Z"}}, "lastState": {},
                 "ready": true, "restartCount": 0, "image": "busybox", "imageID": "sha256:aa",
                 "containerID": "simulated://c", "started": true}"""));
    }

    @Test
    void buildingAgainLaterChangesNothing() {
        ObjectNode pod = pod("""
                {"containers": [{"name": "c", "image": "busybox"}]}""");
        RuntimePod runtime = new RuntimePod(true, List.of("10.244.0.2"), List.of(), List.of(running("c")));
        pod.set("status", BUILDER.build(pod, runtime, false, NOW));

        assertThat(BUILDER.build(pod, runtime, false, NOW.plusSeconds(90))).isEqualTo(pod.get("status"));
    }

    @Test
    void initContainersInSpecOrderContainersSortedByName() {
        ObjectNode pod = pod("""
                {"initContainers": [{"name": "z-init", "image": "i"}, {"name": "a-init", "image": "i"}],
                 "containers": [{"name": "web", "image": "w"}, {"name": "app", "image": "a"}]}""");
        RuntimeContainer done = RuntimeContainer.terminated("z-init", "i", "sha256:i", "simulated://z", 0, T0, T0, 0,
                true);
        RuntimeContainer done2 = RuntimeContainer.terminated("a-init", "i", "sha256:i", "simulated://a", 0, T0, T0, 0,
                true);
        RuntimePod runtime = new RuntimePod(true, List.of("10.244.0.3"), List.of(done, done2),
                List.of(running("web"), running("app")));

        ObjectNode status = BUILDER.build(pod, runtime, false, NOW);

        assertThat(names(status.path("initContainerStatuses"))).containsExactly("z-init", "a-init");
        assertThat(names(status.path("containerStatuses"))).containsExactly("app", "web");
        assertThat(status.path("initContainerStatuses").get(0).path("state").path("terminated")).isEqualTo(object("""
                {"exitCode": 0, "reason": "Completed", "startedAt": "2025-03-01T10:00:00Z",
                 "finishedAt": "2025-03-01T10:00:00Z", "containerID": "simulated://z"}"""));
        assertThat(status.path("initContainerStatuses").get(0).path("ready").asBoolean()).isTrue();
        assertThat(status.path("initContainerStatuses").get(0).path("started").asBoolean()).isFalse();
        assertThat(condition(status, "Initialized").path("status").asText()).isEqualTo("True");
        assertThat(status.path("phase").asText()).isEqualTo("Running");
    }

    @Test
    void containersNotYetRunningKeepThePodPendingWithTheKubeletsMessages() {
        ObjectNode pod = pod("""
                {"containers": [{"name": "web", "image": "w"}, {"name": "sidecar", "image": "s"}, {"name": "x", "image": "x"}]}""");
        RuntimePod runtime = new RuntimePod(true, List.of("10.244.0.4"), List.of(), List.of(running("web")));

        ObjectNode status = BUILDER.build(pod, runtime, false, NOW);

        assertThat(status.path("phase").asText()).isEqualTo("Pending");
        assertThat(condition(status, "ContainersReady")).isEqualTo(object("""
                {"type": "ContainersReady", "status": "False", "lastTransitionTime": "2025-03-01T10:00:05Z",
                 "reason": "ContainersNotReady", "message": "containers with unready status: [sidecar x]"}"""));
        assertThat(condition(status, "Ready").path("message").asText())
                .isEqualTo("containers with unready status: [sidecar x]");
        assertThat(status.path("containerStatuses").get(0)).isEqualTo(object("""
                {"name": "sidecar", "state": {"waiting": {"reason": "ContainerCreating"}}, "lastState": {},
                 "ready": false, "restartCount": 0, "image": "s", "imageID": "", "started": false}"""));
    }

    @Test
    void initContainersNotRunYetLeaveThePodInitializing() {
        ObjectNode pod = pod("""
                {"initContainers": [{"name": "setup", "image": "i"}], "containers": [{"name": "web", "image": "w"}]}""");
        RuntimePod runtime = new RuntimePod(true, List.of("10.244.0.5"), List.of(), List.of());

        ObjectNode status = BUILDER.build(pod, runtime, false, NOW);

        assertThat(status.path("phase").asText()).isEqualTo("Pending");
        assertThat(condition(status, "Initialized").path("reason").asText()).isEqualTo("ContainersNotInitialized");
        assertThat(condition(status, "Initialized").path("message").asText())
                .isEqualTo("containers with incomplete status: [setup]");
        assertThat(status.path("containerStatuses").get(0).path("state").path("waiting").path("reason").asText())
                .isEqualTo("PodInitializing");
    }

    @Test
    void aStoppedPodEndsSucceededAndKeepsItsAddress() {
        ObjectNode pod = pod("""
                {"containers": [{"name": "c", "image": "busybox"}]}""");
        pod.set("status", BUILDER.build(pod, new RuntimePod(true, List.of("10.244.0.2"), List.of(),
                List.of(running("c"))), false, T0));
        RuntimePod stopped = new RuntimePod(false, List.of(), List.of(), List.of(RuntimeContainer.terminated("c",
                "busybox", "sha256:aa", "simulated://c", 0, T0, NOW, 0, false)));

        ObjectNode status = BUILDER.build(pod, stopped, true, NOW);

        assertThat(status.path("phase").asText()).isEqualTo("Succeeded");
        assertThat(condition(status, "PodReadyToStartContainers").path("status").asText()).isEqualTo("False");
        assertThat(condition(status, "Ready")).isEqualTo(object("""
                {"type": "Ready", "status": "False", "lastTransitionTime": "2025-03-01T10:00:05Z",
                 "reason": "PodCompleted"}"""));
        assertThat(condition(status, "ContainersReady").path("reason").asText()).isEqualTo("PodCompleted");
        assertThat(condition(status, "Initialized").path("reason").asText()).isEqualTo("PodCompleted");
        assertThat(status.path("podIP").asText()).isEqualTo("10.244.0.2");
        assertThat(status.path("containerStatuses").get(0).path("state").path("terminated").path("reason").asText())
                .isEqualTo("Completed");
    }

    @Test
    void aFailedExitMakesAStoppedPodFailedAndATerminalPhaseSticks() {
        ObjectNode pod = pod("""
                {"containers": [{"name": "c", "image": "busybox"}]}""");
        RuntimePod failed = new RuntimePod(false, List.of(), List.of(), List.of(RuntimeContainer.terminated("c",
                "busybox", "sha256:aa", "simulated://c", 0, T0, NOW, 137, false)));
        assertThat(BUILDER.build(pod, failed, true, NOW).path("phase").asText()).isEqualTo("Failed");

        ((ObjectNode) pod.get("status")).put("phase", "Failed").put("reason", "Evicted");
        ObjectNode status = BUILDER.build(pod, new RuntimePod(true, List.of("10.244.0.2"), List.of(),
                List.of(running("c"))), false, NOW);
        assertThat(status.path("phase").asText()).isEqualTo("Failed");
        assertThat(status.path("reason").asText()).as("kept with its phase").isEqualTo("Evicted");
    }

    @Test
    void readinessGatesAndConditionsTheKubeletDoesNotOwn() {
        ObjectNode pod = pod("""
                {"containers": [{"name": "c", "image": "busybox"}],
                 "readinessGates": [{"conditionType": "example.com/lb"}, {"conditionType": "example.com/dns"}]}""");
        ((com.fasterxml.jackson.databind.node.ArrayNode) pod.path("status").path("conditions")).addObject()
                .put("type", "example.com/dns").put("status", "False");
        RuntimePod runtime = new RuntimePod(true, List.of("10.244.0.2"), List.of(), List.of(running("c")));

        ObjectNode status = BUILDER.build(pod, runtime, false, NOW);

        assertThat(types(status)).containsExactly("example.com/dns", "PodReadyToStartContainers", "Initialized",
                "Ready", "ContainersReady", "PodScheduled");
        assertThat(condition(status, "Ready").path("reason").asText()).isEqualTo("ReadinessGatesNotReady");
        assertThat(condition(status, "Ready").path("message").asText()).isEqualTo(
                "corresponding condition of pod readiness gate \"example.com/lb\" does not exist., "
                        + "the status of pod readiness gate \"example.com/dns\" is not \"True\", but False");
        assertThat(condition(status, "ContainersReady").path("status").asText()).isEqualTo("True");
    }

    @Test
    void hostNetworkPodsHaveTheNodesAddress() {
        ObjectNode pod = pod("""
                {"hostNetwork": true, "containers": [{"name": "c", "image": "busybox"}]}""");
        ObjectNode status = BUILDER.build(pod, new RuntimePod(true, List.of(), List.of(), List.of(running("c"))),
                false, NOW);
        assertThat(status.path("podIP").asText()).isEqualTo("172.30.0.1");
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return condition;
            }
        }
        throw new AssertionError("no condition " + type + " in " + status);
    }

    private static List<String> types(JsonNode status) {
        List<String> types = new ArrayList<>();
        status.path("conditions").forEach(c -> types.add(c.path("type").asText()));
        return types;
    }

    private static List<String> names(JsonNode statuses) {
        List<String> names = new ArrayList<>();
        statuses.forEach(s -> names.add(s.path("name").asText()));
        return names;
    }
}
