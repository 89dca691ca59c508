package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.kumo.controllers.scheduler.loop.SchedulerKeys.CLUSTER_CHANGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SchedulerKeysTest {
    private static final ObjectKey POD_KEY = new ObjectKey("pods", "default", "web");

    private static ObjectNode pod(String spec, String status, String metadataExtra) {
        return TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","uid":"u1"%s},
                 "spec":{"containers":[{"name":"c","image":"nginx"}]%s},"status":{%s}}"""
                .formatted(metadataExtra, spec, status));
    }

    private static WatchEvent change(WatchEvent.Type type, ObjectKey key, ObjectNode object) {
        return new WatchEvent(type, 7, key, object, type == WatchEvent.Type.ADDED ? 0 : 6);
    }

    static Stream<Arguments> changes() {
        ObjectKey node = ObjectKey.cluster("nodes", "n1");
        ObjectNode nodeObject = TestCluster.object("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""");
        return Stream.of(
                arguments(Named.of("a new pending pod: its key", change(WatchEvent.Type.ADDED, POD_KEY,
                        pod("", "\"phase\":\"Pending\"", ""))), List.of(POD_KEY)),
                arguments(Named.of("a pending pod changed (its own status write, a spec change): its key",
                        change(WatchEvent.Type.MODIFIED, POD_KEY, pod("", "\"phase\":\"Pending\",\"conditions\":"
                                + "[{\"type\":\"PodScheduled\",\"status\":\"False\",\"reason\":\"Unschedulable\"}]", ""))),
                        List.of(POD_KEY)),
                arguments(Named.of("a pod for the default scheduler by name: its key", change(WatchEvent.Type.ADDED,
                        POD_KEY, pod(",\"schedulerName\":\"default-scheduler\"", "", ""))), List.of(POD_KEY)),
                arguments(Named.of("a pod for another scheduler: nothing", change(WatchEvent.Type.ADDED, POD_KEY,
                        pod(",\"schedulerName\":\"my-scheduler\"", "", ""))), List.of()),
                arguments(Named.of("a gated pod: nothing until the gates go", change(WatchEvent.Type.ADDED, POD_KEY,
                        pod(",\"schedulingGates\":[{\"name\":\"wait\"}]", "", ""))), List.of()),
                arguments(Named.of("a pending pod being deleted: nothing", change(WatchEvent.Type.MODIFIED, POD_KEY,
                        pod("", "", ",\"deletionTimestamp\":\"2025-01-01T00:00:00Z\""))), List.of()),
                arguments(Named.of("a bound pod running: nothing", change(WatchEvent.Type.MODIFIED, POD_KEY,
                        pod(",\"nodeName\":\"n1\"", "\"phase\":\"Running\"", ""))), List.of()),
                arguments(Named.of("a bound pod finished: its room is free, retry", change(WatchEvent.Type.MODIFIED,
                        POD_KEY, pod(",\"nodeName\":\"n1\"", "\"phase\":\"Succeeded\"", ""))),
                        List.of(CLUSTER_CHANGED)),
                arguments(Named.of("a bound pod deleted: retry", change(WatchEvent.Type.DELETED, POD_KEY,
                        pod(",\"nodeName\":\"n1\"", "\"phase\":\"Running\"", ""))), List.of(CLUSTER_CHANGED)),
                arguments(Named.of("a pending pod deleted: it held no room, nothing", change(WatchEvent.Type.DELETED,
                        POD_KEY, pod("", "", ""))), List.of()),
                arguments(Named.of("a node added: retry", change(WatchEvent.Type.ADDED, node, nodeObject)),
                        List.of(CLUSTER_CHANGED)),
                arguments(Named.of("a node changed: retry", change(WatchEvent.Type.MODIFIED, node, nodeObject)),
                        List.of(CLUSTER_CHANGED)),
                arguments(Named.of("a node removed: retry (spreading counts domains)",
                        change(WatchEvent.Type.DELETED, node, nodeObject)), List.of(CLUSTER_CHANGED)),
                arguments(Named.of("anything else: nothing", change(WatchEvent.Type.ADDED,
                        new ObjectKey("apps/replicasets", "default", "web"), nodeObject)), List.of()));
    }

    @ParameterizedTest
    @MethodSource("changes")
    void mapsAChangeToTheKeysTheSchedulerMustLookAt(WatchEvent change, List<ObjectKey> expected) {
        assertThat(new SchedulerKeys().keysFor(change)).containsExactlyElementsOf(expected);
    }
}
