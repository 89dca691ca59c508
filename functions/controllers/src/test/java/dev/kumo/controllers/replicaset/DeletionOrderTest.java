package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DeletionOrderTest {
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

    /** A pod: uid, node ("" for none), phase, ready since (null: not ready), restarts, created, deletion cost. */
    private static ObjectNode pod(String uid, String node, String phase, String readySince, int restarts,
                                 String created, Integer cost) {
        ObjectNode pod = TestCluster.object("""
                {"metadata":{"name":"%s","uid":"%s"},"spec":{},"status":{"phase":"%s"}}"""
                .formatted(uid, uid, phase));
        if (created != null) {
            Meta.of(pod).put("creationTimestamp", created);
        }
        if (cost != null) {
            Meta.of(pod).putObject("annotations").put(Pods.DELETION_COST, cost.toString());
        }
        if (!node.isEmpty()) {
            ((ObjectNode) pod.path("spec")).put("nodeName", node);
        }
        ObjectNode status = (ObjectNode) pod.path("status");
        status.putArray("conditions").addObject().put("type", "Ready")
                .put("status", readySince == null ? "False" : "True")
                .put("lastTransitionTime", readySince == null ? "2024-06-01T00:00:00Z" : readySince);
        status.putArray("containerStatuses").addObject().put("name", "c").put("restartCount", restarts);
        return pod;
    }

    private static ObjectNode running(String uid, String node) {
        return pod(uid, node, "Running", "2024-06-01T11:00:00Z", 0, "2024-06-01T10:00:00Z", null);
    }

    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of("unassigned before assigned",
                        List.of(running("a", "n1"), pod("b", "", "Running", "2024-06-01T11:00:00Z", 0,
                                "2024-06-01T10:00:00Z", null)), List.of(), "b"),
                Arguments.of("Pending before Unknown before Running",
                        List.of(running("a", "n1"),
                                pod("b", "n1", "Unknown", "2024-06-01T11:00:00Z", 0, "2024-06-01T10:00:00Z", null),
                                pod("c", "n1", "Pending", "2024-06-01T11:00:00Z", 0, "2024-06-01T10:00:00Z", null)),
                        List.of(), "c,b"),
                Arguments.of("not ready before ready",
                        List.of(running("a", "n1"),
                                pod("b", "n1", "Running", null, 0, "2024-06-01T10:00:00Z", null)), List.of(), "b"),
                Arguments.of("lower deletion cost first",
                        List.of(pod("a", "n1", "Running", "2024-06-01T11:00:00Z", 0, "2024-06-01T10:00:00Z", 5),
                                pod("b", "n1", "Running", "2024-06-01T11:00:00Z", 0, "2024-06-01T10:00:00Z", -5)),
                        List.of(), "b"),
                Arguments.of("more pods of the owner on its node first",
                        List.of(running("a", "n1"), running("b", "n2")),
                        List.of(running("a", "n1"), running("b", "n2"), running("x", "n2")), "b"),
                Arguments.of("ready for less time first",
                        List.of(running("a", "n1"),
                                pod("b", "n1", "Running", "2024-06-01T11:59:00Z", 0, "2024-06-01T10:00:00Z", null)),
                        List.of(), "b"),
                Arguments.of("more restarts first",
                        List.of(running("a", "n1"),
                                pod("b", "n1", "Running", "2024-06-01T11:00:00Z", 3, "2024-06-01T10:00:00Z", null)),
                        List.of(), "b"),
                Arguments.of("newer first",
                        List.of(running("a", "n1"),
                                pod("b", "n1", "Running", "2024-06-01T11:00:00Z", 0, "2024-06-01T11:30:00Z", null)),
                        List.of(), "b"),
                Arguments.of("ages on the same log2 step: by uid",
                        List.of(pod("b", "n1", "Running", "2024-06-01T11:00:00Z", 0, "2024-06-01T10:00:00Z", null),
                                pod("a", "n1", "Running", "2024-06-01T11:00:00Z", 0, "2024-06-01T10:00:01Z", null)),
                        List.of(), "a"),
                Arguments.of("no creation time first",
                        List.of(running("a", "n1"),
                                pod("b", "n1", "Running", "2024-06-01T11:00:00Z", 0, null, null)), List.of(), "b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void choosesThePodsToDeleteFirst(String rule, List<ObjectNode> pods, List<ObjectNode> related, String first) {
        List<String> expected = List.of(first.split(","));

        List<ObjectNode> chosen = new DeletionOrder(related, NOW).firstToDelete(pods, expected.size());

        assertThat(chosen.stream().map(Meta::uid).toList()).as(rule).isEqualTo(expected);
    }
}
