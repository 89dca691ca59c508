package dev.kumo.cloud.provisioner;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisionerKeysTest {
    private final ProvisionerKeys keys = new ProvisionerKeys();

    private static WatchEvent change(WatchEvent.Type type, String resource, String namespace, String json) {
        var object = PoolFixtures.json(json);
        return new WatchEvent(type, 2, new ObjectKey(resource, namespace,
                object.path("metadata").path("name").asText()), object, 1);
    }

    @Test
    void poolsAndTheirNodesMapToThePool() {
        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "kumo.dev/nodepools", "",
                "{\"metadata\":{\"name\":\"web\"}}"))).containsExactly(ProvisionerKeys.pool("web"));
        assertThat(keys.keysFor(change(WatchEvent.Type.DELETED, "nodes", "",
                "{\"metadata\":{\"name\":\"web-1\",\"labels\":{\"kumo.dev/node-pool\":\"web\"}}}")))
                .containsExactly(ProvisionerKeys.pool("web"));
        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "nodes", "",
                "{\"metadata\":{\"name\":\"kumo-node-1\"}}"))).isEmpty();
    }

    @Test
    void onlyPodsMarkedUnschedulableAskForAScaleUp() {
        String unschedulable = """
                {"metadata":{"name":"p"},"spec":{},"status":{"phase":"Pending","conditions":[
                 {"type":"PodScheduled","status":"False","reason":"Unschedulable"}]}}""";
        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "pods", "ns", unschedulable)))
                .containsExactly(ProvisionerKeys.SCALE_UP);
        assertThat(keys.keysFor(change(WatchEvent.Type.DELETED, "pods", "ns", unschedulable))).isEmpty();
        assertThat(keys.keysFor(change(WatchEvent.Type.ADDED, "pods", "ns",
                "{\"metadata\":{\"name\":\"p\"},\"spec\":{}}"))).isEmpty();
        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "pods", "ns",
                "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n\"}}"))).isEmpty();
    }
}
