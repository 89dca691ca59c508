package dev.kumo.controllers.lambda;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.garbagecollector.GarbageCollector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class LoopCatalogTest {

    /**
     * The fan-out hands every mapper key-only changes for resources encrypted at rest (their object is null): a
     * mapper that reads the object anyway throws on every Secret, which once made the stream drop whole batches.
     * Secrets are encrypted by default; ConfigMaps are what Kubernetes' encryption guide adds next.
     */
    @Test
    void everyMapperTakesKeyOnlyChanges() {
        for (String resource : new String[]{"secrets", "configmaps"}) {
            ObjectKey key = new ObjectKey(resource, "team-a", "x");
            for (WatchEvent.Type type : WatchEvent.Type.values()) {
                WatchEvent change = new WatchEvent(type, 9, key, null, 8);
                LoopCatalog.entries().forEach(entry -> assertThatCode(() -> entry.keys().keysFor(change))
                        .as("%s on a key-only %s of %s", entry.name(), type, resource).doesNotThrowAnyException());
            }
        }
    }

    @Test
    void theCollectorLooksAtAnEncryptedObjectItself() {
        ObjectKey secret = new ObjectKey("secrets", "team-a", "token");
        WatchEvent added = new WatchEvent(WatchEvent.Type.ADDED, 9, secret, null, 0);

        assertThat(LoopCatalog.find(GarbageCollector.NAME).orElseThrow().keys().keysFor(added)).containsExactly(secret);
    }

    @Test
    void namesAreUniqueAndEveryLoopHasAUserAndComponent() {
        assertThat(LoopCatalog.entries()).extracting(LoopCatalog.Entry::name).doesNotHaveDuplicates()
                .contains("scheduler", "replicaset", "deployment", "endpoints", "endpointslice", "namespace",
                        "serviceaccount", "garbagecollector", "nodelifecycle");
        assertThat(LoopCatalog.entries()).allSatisfy(entry -> {
            assertThat(entry.user()).startsWith("system:kube-");
            assertThat(entry.component()).isNotBlank();
        });
    }
}
