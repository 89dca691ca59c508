package dev.kumo.e2e.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.NamespaceDefaults;
import dev.kumo.e2e.support.Poll;
import dev.kumo.e2e.support.SharedCluster;
import dev.kumo.e2e.support.StoreMaintenance;
import dev.kumo.e2e.support.TcpProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real client library's informer (fabric8's SharedIndexInformer: list, then watch from the list's
 * resourceVersion, re-watch or re-list when the watch breaks) against kumo, while other threads write. The client
 * reaches the cluster through a proxy that can cut its connections, as a flaky network would.
 */
@ExtendWith(SharedCluster.class)
class InformerTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KumoCluster cluster;
    private final ApiClient api;

    InformerTest(KumoCluster cluster) {
        this.cluster = cluster;
        this.api = cluster.api();
    }

    @Test
    void theCacheFollowsWritesOfOtherThreadsAcrossDroppedConnections() throws Exception {
        String ns = cluster.newNamespace("informer");
        for (int i = 0; i < 5; i++) {
            create(ns, "before-" + i);
        }
        Events events = new Events();
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", cluster.kubeconfig().server().getPort());
             KubernetesClient client = clientThrough(proxy);
             SharedIndexInformer<ConfigMap> informer = started(client, ns, events)) {
            assertThat(NamespaceDefaults.own(names(informer))).containsExactlyInAnyOrder("before-0", "before-1",
                    "before-2", "before-3", "before-4");

            api.patch(path(ns) + "/before-0", ApiClient.MERGE_PATCH, "{\"data\":{\"v\":\"updated\"}}").expect(200);
            Poll.until(SETTLE, "the informer to see an update", events::updates, u -> u.contains("before-0=updated"));

            ExecutorService writers = Executors.newFixedThreadPool(2);
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                work.add(writers.submit(() -> write(ns, "w" + writer + "-", 0, 10)));
            }
            proxy.dropConnections();
            for (Future<?> done : work) {
                done.get();
            }
            work.clear();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                work.add(writers.submit(() -> write(ns, "w" + writer + "-", 10, 20)));
            }
            proxy.dropConnections();
            for (Future<?> done : work) {
                done.get();
            }
            writers.shutdown();
            api.delete(path(ns) + "/before-1").expect(200);

            Map<String, String> expected = snapshotOfList(ns);
            Poll.until(SETTLE, "the informer's cache to equal a fresh list", () -> snapshot(informer),
                    expected::equals);
            assertThat(proxy.connectionsAccepted()).as("connections made, reconnections included")
                    .isGreaterThanOrEqualTo(3);
            assertThat(events.deleted()).contains("before-1", "w0-0", "w1-3", "w0-18");
            assertThat(events.added()).contains("w0-0", "w0-19", "w1-0", "w1-19");
            assertThat(events.updates()).contains("w0-19=2", "w1-19=2");
        }
    }

    /**
     * While the client is cut off, the objects change and their history is compacted: the informer's watch from
     * its old resourceVersion is answered 410 Gone, and it must list again to catch up.
     */
    @Test
    void theCacheRecoversByRelistingWhenItsResourceVersionWasCompacted() throws Exception {
        String ns = cluster.newNamespace("informer-gone");
        create(ns, "stays");
        create(ns, "changes");
        create(ns, "goes");
        Events events = new Events();
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", cluster.kubeconfig().server().getPort());
             KubernetesClient client = clientThrough(proxy);
             SharedIndexInformer<ConfigMap> informer = started(client, ns, events)) {
            assertThat(NamespaceDefaults.own(names(informer))).containsExactlyInAnyOrder("stays", "changes", "goes");

            proxy.refuseConnections(true);
            proxy.dropConnections();
            api.patch(path(ns) + "/changes", ApiClient.MERGE_PATCH, "{\"data\":{\"v\":\"new\"}}").expect(200);
            api.delete(path(ns) + "/goes").expect(200);
            String latest = create(ns, "arrives");
            try (StoreMaintenance store = new StoreMaintenance(cluster.local())) {
                store.compact("", "v1", "configmaps", Long.parseLong(latest));
            }
            proxy.refuseConnections(false);

            Map<String, String> expected = snapshotOfList(ns);
            Poll.until(SETTLE, "the informer's cache to equal a fresh list", () -> snapshot(informer),
                    expected::equals);
            assertThat(events.deleted()).contains("goes");
            assertThat(events.added()).contains("arrives");
            assertThat(informer.getStore().getByKey(ns + "/changes").getData()).containsEntry("v", "new");
        }
    }

    /** fabric8 as it comes: it asks for each watch as a WebSocket and falls back to HTTP if the server refuses. */
    @Test
    void anInformerWithTheDefaultSettingsStarts() throws Exception {
        String ns = cluster.newNamespace("informer-default");
        create(ns, "present");
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(cluster.kubeconfig().path().toFile())).build();
             SharedIndexInformer<ConfigMap> informer = started(client, ns, new Events())) {
            assertThat(NamespaceDefaults.own(names(informer))).containsExactly("present");
        }
    }

    /** Creates {@code prefix<i>} for i in [from, to), updates each, and deletes every third. */
    private void write(String ns, String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            String name = prefix + i;
            create(ns, name);
            api.patch(path(ns) + "/" + name, ApiClient.MERGE_PATCH, "{\"data\":{\"v\":\"2\"}}").expect(200);
            if (i % 3 == 0) {
                api.delete(path(ns) + "/" + name).expect(200);
            }
        }
    }

    private String create(String ns, String name) {
        ObjectNode configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", name);
        configMap.putObject("data").put("v", "1");
        return api.post(path(ns), configMap).expect(201).json().path("metadata").path("resourceVersion").asText();
    }

    /** An informer on the namespace's config maps, listed and watching (fails rather than waiting forever). */
    private static SharedIndexInformer<ConfigMap> started(KubernetesClient client, String ns, Events events)
            throws Exception {
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).runnableInformer(0);
        informer.addEventHandler(events);
        try {
            informer.start().toCompletableFuture().get(SETTLE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            informer.close();
            throw new AssertionError("the informer did not list and watch within " + SETTLE.toSeconds() + " s", e);
        }
        return informer;
    }

    /**
     * A client from the kubeconfig, through the proxy, watching over plain HTTP (fabric8's setting for servers
     * without WebSocket watches: see {@link #anInformerWithTheDefaultSettingsStarts}).
     */
    private KubernetesClient clientThrough(TcpProxy proxy) {
        Config config = Config.fromKubeconfig(cluster.kubeconfig().path().toFile());
        config.setMasterUrl("https://127.0.0.1:" + proxy.port());
        config.setOnlyHttpWatches(true);
        config.setWatchReconnectInterval(100);
        config.setWatchReconnectLimit(-1);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** name → resourceVersion and data, for every object in the informer's cache. */
    private static Map<String, String> snapshot(SharedIndexInformer<ConfigMap> informer) {
        Map<String, String> snapshot = new TreeMap<>();
        for (ConfigMap configMap : informer.getStore().list()) {
            snapshot.put(configMap.getMetadata().getName(),
                    configMap.getMetadata().getResourceVersion() + " " + new TreeMap<>(configMap.getData()));
        }
        return snapshot;
    }

    /** The same, from a fresh list. */
    private Map<String, String> snapshotOfList(String ns) {
        Map<String, String> snapshot = new TreeMap<>();
        for (JsonNode item : api.get(path(ns)).expect(200).json().path("items")) {
            Map<String, String> data = new TreeMap<>();
            item.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            snapshot.put(item.path("metadata").path("name").asText(),
                    item.path("metadata").path("resourceVersion").asText() + " " + data);
        }
        return snapshot;
    }

    private static List<String> names(SharedIndexInformer<ConfigMap> informer) {
        return informer.getStore().list().stream().map(c -> c.getMetadata().getName()).toList();
    }

    private static String path(String ns) {
        return "/api/v1/namespaces/" + ns + "/configmaps";
    }

    /** What the informer told its handler: names added and deleted, and "name=v" for each update. */
    private static final class Events implements ResourceEventHandler<ConfigMap> {
        private final List<String> added = new CopyOnWriteArrayList<>();
        private final List<String> updates = new CopyOnWriteArrayList<>();
        private final List<String> deleted = new CopyOnWriteArrayList<>();

        @Override
        public void onAdd(ConfigMap configMap) {
            added.add(configMap.getMetadata().getName());
        }

        @Override
        public void onUpdate(ConfigMap before, ConfigMap after) {
            updates.add(after.getMetadata().getName() + "=" + after.getData().get("v"));
        }

        @Override
        public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
            deleted.add(configMap.getMetadata().getName());
        }

        List<String> added() {
            return List.copyOf(added);
        }

        List<String> updates() {
            return List.copyOf(updates);
        }

        List<String> deleted() {
            return List.copyOf(deleted);
        }
    }
}
