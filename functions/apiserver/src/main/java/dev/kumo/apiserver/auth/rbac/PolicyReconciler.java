package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.FieldSelector;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.registry.DeleteOptions;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.registry.ListRequest;
import dev.kumo.apiserver.registry.WriteOptions;
import dev.kumo.apiserver.resources.ResourceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings the default ClusterRoles and ClusterRoleBindings into the cluster at start-up, as kube-apiserver's RBAC
 * bootstrap hook does (Kubernetes' {@code reconciliation} package, in its additive mode): a missing object is
 * created; an existing one annotated {@code rbac.authorization.kubernetes.io/autoupdate: "false"} is left alone;
 * any other gets the expected labels and annotations it lacks, the rules and aggregation selectors it lacks (never
 * losing any it has), and, for a binding, the missing subjects; a binding whose roleRef differs is recreated.
 * Concurrent start-ups are harmless: a write that loses a race is left to the winner.
 */
public final class PolicyReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyReconciler.class);
    private static final WriteOptions WRITE = WriteOptions.system("kube-apiserver");

    private final GenericRegistry registry;
    private final ResourceDefinition clusterRoles;
    private final ResourceDefinition clusterRoleBindings;

    public PolicyReconciler(GenericRegistry registry, ResourceDefinition clusterRoles,
                            ResourceDefinition clusterRoleBindings) {
        this.registry = registry;
        this.clusterRoles = clusterRoles;
        this.clusterRoleBindings = clusterRoleBindings;
    }

    public void reconcile(BootstrapPolicy policy) {
        Map<String, ObjectNode> roles = existing(clusterRoles);
        for (ObjectNode expected : policy.clusterRoles()) {
            ObjectNode current = roles.get(Meta.name(expected));
            if (current == null) {
                create(clusterRoles, expected);
            } else if (!protectedFromUpdate(current)) {
                ObjectNode reconciled = reconciledRole(current, expected);
                if (!reconciled.equals(current)) {
                    update(clusterRoles, reconciled);
                }
            }
        }
        Map<String, ObjectNode> bindings = existing(clusterRoleBindings);
        for (ObjectNode expected : policy.clusterRoleBindings()) {
            ObjectNode current = bindings.get(Meta.name(expected));
            if (current == null) {
                create(clusterRoleBindings, expected);
            } else if (!protectedFromUpdate(current)) {
                if (!current.path("roleRef").equals(expected.path("roleRef"))) {
                    recreate(clusterRoleBindings, current, expected);
                    continue;
                }
                ObjectNode reconciled = reconciledBinding(current, expected);
                if (!reconciled.equals(current)) {
                    update(clusterRoleBindings, reconciled);
                }
            }
        }
    }

    /** {@code computeReconciledRole} without removing anything. */
    static ObjectNode reconciledRole(ObjectNode current, ObjectNode expected) {
        ObjectNode reconciled = current.deepCopy();
        mergeMetadata(reconciled, expected);
        List<PolicyRule> currentRules = PolicyRule.listFromJson(current.path("rules"));
        List<PolicyRule> missing = RuleCoverage.uncovered(currentRules,
                PolicyRule.listFromJson(expected.path("rules")));
        if (!missing.isEmpty()) {
            ArrayNode rules = reconciled.withArray("rules");
            missing.forEach(rule -> rules.add(rule.toJson()));
        }
        JsonNode expectedSelectors = expected.path("aggregationRule").path("clusterRoleSelectors");
        if (expectedSelectors.isMissingNode() && reconciled.has("aggregationRule")) {
            reconciled.remove("aggregationRule");
        } else if (!expectedSelectors.isMissingNode()) {
            ArrayNode selectors = reconciled.with("aggregationRule").withArray("clusterRoleSelectors");
            for (JsonNode selector : expectedSelectors) {
                if (!contains(selectors, selector)) {
                    selectors.add(selector.deepCopy());
                }
            }
        }
        return reconciled;
    }

    /** {@code computeReconciledRoleBinding} without removing anything: the same roleRef, missing subjects added. */
    static ObjectNode reconciledBinding(ObjectNode current, ObjectNode expected) {
        ObjectNode reconciled = current.deepCopy();
        mergeMetadata(reconciled, expected);
        for (JsonNode subject : expected.path("subjects")) {
            if (!contains(reconciled.path("subjects"), subject)) {
                reconciled.withArray("subjects").add(subject.deepCopy());
            }
        }
        return reconciled;
    }

    /** Adds the expected labels and annotations the object lacks; values it has are kept. */
    private static void mergeMetadata(ObjectNode object, ObjectNode expected) {
        ObjectNode metadata = object.with("metadata");
        for (String field : List.of("labels", "annotations")) {
            JsonNode wanted = expected.path("metadata").path(field);
            if (wanted.isEmpty()) {
                continue;
            }
            ObjectNode present = metadata.with(field);
            wanted.properties().forEach(entry -> {
                if (!present.has(entry.getKey())) {
                    present.set(entry.getKey(), entry.getValue());
                }
            });
        }
    }

    private static boolean protectedFromUpdate(ObjectNode object) {
        return "false".equals(object.path("metadata").path("annotations").path(BootstrapPolicy.AUTO_UPDATE).asText());
    }

    private Map<String, ObjectNode> existing(ResourceDefinition def) {
        ObjectNode list = registry.list(def, "", new ListRequest(LabelSelector.EVERYTHING, FieldSelector.EVERYTHING,
                0, null, "", ""), o -> true);
        Map<String, ObjectNode> byName = new HashMap<>();
        list.path("items").forEach(item -> byName.put(Meta.name(item), (ObjectNode) item));
        return byName;
    }

    private void create(ResourceDefinition def, ObjectNode object) {
        try {
            registry.create(def, "", object.deepCopy(), WRITE);
            LOG.atInfo().addKeyValue("kind", def.kind()).addKeyValue("name", Meta.name(object))
                    .log("created default RBAC object");
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    private void update(ResourceDefinition def, ObjectNode object) {
        try {
            registry.update(def, "", Meta.name(object), "", object, WRITE);
            LOG.atInfo().addKeyValue("kind", def.kind()).addKeyValue("name", Meta.name(object))
                    .log("reconciled default RBAC object");
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e; // 409: another API process reconciled it first
            }
        }
    }

    private void recreate(ResourceDefinition def, ObjectNode current, ObjectNode expected) {
        try {
            registry.delete(def, "", Meta.name(current), new DeleteOptions(null, null, null,
                    Meta.resourceVersion(current), false, WRITE.user()));
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
        create(def, expected); // Kubernetes replaces the binding with the expected one, subjects and all
    }

    private static boolean contains(JsonNode array, JsonNode element) {
        for (JsonNode item : array) {
            if (item.equals(element)) {
                return true;
            }
        }
        return false;
    }
}
