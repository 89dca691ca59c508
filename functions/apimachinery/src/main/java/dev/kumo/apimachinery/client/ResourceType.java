package dev.kumo.apimachinery.client;

/**
 * A resource as its URL names it: {@code /api/v1/namespaces/ns/pods} for core ones, {@code /apis/group/version/...}
 * for the others.
 */
public record ResourceType(String group, String version, String plural, boolean namespaced) {
    public static final ResourceType PODS = new ResourceType("", "v1", "pods", true);
    public static final ResourceType NODES = new ResourceType("", "v1", "nodes", false);
    public static final ResourceType NAMESPACES = new ResourceType("", "v1", "namespaces", false);
    public static final ResourceType SERVICES = new ResourceType("", "v1", "services", true);
    public static final ResourceType EVENTS = new ResourceType("", "v1", "events", true);
    public static final ResourceType REPLICA_SETS = new ResourceType("apps", "v1", "replicasets", true);
    public static final ResourceType DEPLOYMENTS = new ResourceType("apps", "v1", "deployments", true);
    public static final ResourceType ENDPOINTS = new ResourceType("", "v1", "endpoints", true);
    public static final ResourceType ENDPOINT_SLICES = new ResourceType("discovery.k8s.io", "v1", "endpointslices",
            true);
    public static final ResourceType LEASES = new ResourceType("coordination.k8s.io", "v1", "leases", true);
    public static final ResourceType SERVICE_ACCOUNTS = new ResourceType("", "v1", "serviceaccounts", true);
    public static final ResourceType SECRETS = new ResourceType("", "v1", "secrets", true);
    public static final ResourceType CONFIG_MAPS = new ResourceType("", "v1", "configmaps", true);
    /** kumo's own: node pools, which the provisioner sizes ({@code docs/node-pools.md}). */
    public static final ResourceType NODE_POOLS = new ResourceType("kumo.dev", "v1alpha1", "nodepools", false);

    /** The store's key for this resource: {@code pods}, {@code apps/deployments}. */
    public String storageResource() {
        return group.isEmpty() ? plural : group + "/" + plural;
    }

    /** The collection's path in {@code namespace} (ignored for cluster-scoped resources; "" means all). */
    public String collectionPath(String namespace) {
        String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        return namespaced && !namespace.isEmpty() ? prefix + "/namespaces/" + namespace + "/" + plural
                : prefix + "/" + plural;
    }

    public String objectPath(String namespace, String name) {
        return collectionPath(namespace) + "/" + name;
    }
}
