package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the store has no index for: who refers to whom. A scan lists every collectable resource of one scope through
 * the API and indexes the objects by uid and by the owner uids they refer to. The scope of a namespaced owner is its
 * namespace (a namespaced dependent's owners live in its namespace or are cluster-scoped, and a cluster-scoped object
 * cannot have namespaced owners); the scope of a cluster-scoped owner is the whole cluster. A namespace costs one
 * list per resource (about a dozen requests, most answering an empty page) plus one per 500 objects; the whole
 * cluster costs the same per resource over every namespace. Only metadata is kept.
 */
final class Scan {
    /** The scope {@code ""}: every namespace and the cluster-scoped resources. */
    static final String CLUSTER = "";

    /** One listed object: its resource, and its metadata with apiVersion and kind. */
    record Item(ResourceType type, ObjectNode object) {
        String uid() {
            return Meta.uid(object);
        }

        String namespace() {
            return Meta.namespace(object);
        }

        String name() {
            return Meta.name(object);
        }

        List<OwnerReference> owners() {
            return OwnerReference.of(object);
        }

        @Override
        public String toString() {
            String namespace = namespace();
            return type.storageResource() + ":" + (namespace.isEmpty() ? "" : namespace + "/") + name();
        }
    }

    private final String scope;
    private final boolean listed;
    private final List<Item> items;
    private final Map<String, Item> byUid = new HashMap<>();
    private final Map<String, List<Item>> dependents = new HashMap<>();

    private Scan(String scope, boolean listed, List<Item> items) {
        this.scope = scope;
        this.listed = listed;
        this.items = List.copyOf(items);
        for (Item item : this.items) {
            byUid.put(item.uid(), item);
            for (OwnerReference owner : item.owners()) {
                dependents.computeIfAbsent(owner.uid(), uid -> new ArrayList<>()).add(item);
            }
        }
    }

    /** Lists {@code namespace}, or the whole cluster for {@link #CLUSTER}. */
    static Scan of(KubeClient client, ApiResources resources, String namespace) throws Exception {
        List<ResourceType> types = resources.collectable().stream()
                .filter(type -> type.namespaced() || namespace.equals(CLUSTER)).toList();
        List<Callable<List<Item>>> lists = new ArrayList<>();
        for (ResourceType type : types) {
            lists.add(() -> client.list(type, namespace, "", "").stream()
                    .map(object -> new Item(type, metadataOnly(object))).toList());
        }
        List<Item> items = new ArrayList<>();
        Parallel.call(lists).forEach(items::addAll);
        return new Scan(namespace, true, items);
    }

    /** Nothing listed: owners are resolved by reading them, dependents by a scan when needed. */
    static Scan none() {
        return new Scan(CLUSTER, false, List.of());
    }

    private static ObjectNode metadataOnly(ObjectNode object) {
        ObjectNode kept = object.objectNode();
        kept.set("apiVersion", object.get("apiVersion"));
        kept.set("kind", object.get("kind"));
        kept.set("metadata", object.get("metadata"));
        return kept;
    }

    /** Whether this scan lists every object that may name {@code item} as an owner. */
    boolean covers(Item item) {
        return listed && (scope.equals(CLUSTER) || item.type().namespaced() && scope.equals(item.namespace()));
    }

    List<Item> items() {
        return items;
    }

    Item byUid(String uid) {
        return byUid.get(uid);
    }

    /** The listed objects that name {@code ownerUid} among their owners. */
    List<Item> dependentsOf(String ownerUid) {
        return Collections.unmodifiableList(dependents.getOrDefault(ownerUid, List.of()));
    }
}
