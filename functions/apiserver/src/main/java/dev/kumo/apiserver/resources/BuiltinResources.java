package dev.kumo.apiserver.resources;

import dev.kumo.apiserver.strategy.LimitRangeStrategy;
import dev.kumo.apiserver.strategy.NodePoolStrategy;
import dev.kumo.apiserver.strategy.PodStrategy;
import dev.kumo.apiserver.strategy.ResourceQuotaStrategy;
import dev.kumo.apiserver.strategy.SimpleStrategies;
import dev.kumo.apiserver.strategy.WorkloadStrategy;
import dev.kumo.apiserver.table.BuiltinTables;
import dev.kumo.apiserver.table.TableConvertor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The resources kumo serves, as discovery lists them. */
public final class BuiltinResources {
    private BuiltinResources() {
    }

    /** The resources as stored, for tools that need their storage keys only (compaction). */
    public static ResourceRegistry create(Clock clock) {
        return create(clock, Conversion.IDENTITY);
    }

    /**
     * The resources as the API serves them.
     *
     * @param clusterRoles how ClusterRoles are read: with the rules their aggregationRule gathers
     */
    public static ResourceRegistry create(Clock clock, Conversion clusterRoles) {
        List<ResourceDefinition> all = new ArrayList<>(List.of(
                core("namespaces", "namespace", "Namespace", false, List.of("ns"), Set.of("status", "finalize"),
                        SimpleStrategies.namespaces(), BuiltinTables.namespaces()),
                core("pods", "pod", "Pod", true, List.of("po"), Set.of("status", "binding"),
                        new PodStrategy(), BuiltinTables.pods(), "all"),
                core("nodes", "node", "Node", false, List.of("no"), Set.of("status", "token", "proxy"),
                        SimpleStrategies.nodes(), BuiltinTables.nodes()),
                core("services", "service", "Service", true, List.of("svc"), Set.of("status"),
                        SimpleStrategies.services(), BuiltinTables.services(), "all"),
                core("endpoints", "endpoints", "Endpoints", true, List.of("ep"), Set.of(),
                        SimpleStrategies.plain(), BuiltinTables.endpoints()),
                core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), Set.of(),
                        SimpleStrategies.configMaps(), BuiltinTables.configMaps()),
                core("secrets", "secret", "Secret", true, List.of(), Set.of(),
                        SimpleStrategies.secrets(), BuiltinTables.secrets()),
                core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), Set.of("token"),
                        SimpleStrategies.plain(), BuiltinTables.serviceAccounts()),
                core("events", "event", "Event", true, List.of("ev"), Set.of(),
                        SimpleStrategies.events(), BuiltinTables.events(clock)),
                core("limitranges", "limitrange", "LimitRange", true, List.of("limits"), Set.of(),
                        new LimitRangeStrategy(), BuiltinTables.limitRanges()),
                core("resourcequotas", "resourcequota", "ResourceQuota", true, List.of("quota"), Set.of("status"),
                        new ResourceQuotaStrategy(), BuiltinTables.resourceQuotas()),
                new ResourceDefinition("apps", "v1", "deployments", "deployment", "Deployment", true,
                        List.of("deploy"), List.of("all"), Set.of("status", "scale"), "apps/deployments",
                        WorkloadStrategy.deployments(), BuiltinTables.deployments(), Conversion.IDENTITY),
                new ResourceDefinition("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true,
                        List.of("rs"), List.of("all"), Set.of("status", "scale"), "apps/replicasets",
                        WorkloadStrategy.replicaSets(), BuiltinTables.replicaSets(), Conversion.IDENTITY),
                new ResourceDefinition("coordination.k8s.io", "v1", "leases", "lease", "Lease", true,
                        List.of(), List.of(), Set.of(), "coordination.k8s.io/leases",
                        SimpleStrategies.plain(), BuiltinTables.leases(), Conversion.IDENTITY),
                new ResourceDefinition("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice",
                        true, List.of(), List.of(), Set.of(), "discovery.k8s.io/endpointslices",
                        SimpleStrategies.endpointSlices(), BuiltinTables.endpointSlices(), Conversion.IDENTITY),
                new ResourceDefinition("events.k8s.io", "v1", "events", "event", "Event", true,
                        List.of("ev"), List.of(), Set.of(), "events",
                        SimpleStrategies.plain(), TableConvertor.defaultColumns(), new EventConversion()),
                new ResourceDefinition("kumo.dev", "v1alpha1", "nodepools", "nodepool", "NodePool", false,
                        List.of("np"), List.of(), Set.of("status", "scale"), "kumo.dev/nodepools",
                        new NodePoolStrategy(), BuiltinTables.nodePools(), Conversion.IDENTITY)));
        all.addAll(AuthorizationResources.rbac(clusterRoles));
        all.addAll(AuthorizationResources.reviews());
        return new ResourceRegistry(all);
    }

    private static ResourceDefinition core(String plural, String singular, String kind, boolean namespaced,
                                           List<String> shortNames, Set<String> subresources,
                                           dev.kumo.apiserver.strategy.Strategy strategy, TableConvertor table,
                                           String... categories) {
        return new ResourceDefinition("", "v1", plural, singular, kind, namespaced, shortNames, List.of(categories),
                subresources, plural, strategy, table, Conversion.IDENTITY);
    }
}
