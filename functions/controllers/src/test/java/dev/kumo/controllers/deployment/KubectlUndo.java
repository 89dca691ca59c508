package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.replicaset.OwnerReferences;

import java.util.Map;

/**
 * What {@code kubectl rollout undo --to-revision=n} does (kubectl's {@code DeploymentRollbacker}): find the
 * deployment's replica set of that revision, and write its template (without the pod-template-hash label) back
 * into the deployment, with the replica set's annotations but the deployment's own revision bookkeeping. kubectl
 * sends a JSON patch replacing both; this test client has no JSON patch, so it replaces them with an update.
 */
final class KubectlUndo {
    private KubectlUndo() {
    }

    static void undo(KubeClient client, String namespace, String name, long revision) {
        ObjectNode deployment = client.get(ResourceType.DEPLOYMENTS, namespace, name).orElseThrow();
        ObjectNode rs = client.list(ResourceType.REPLICA_SETS, namespace, "", "").stream()
                .filter(r -> OwnerReferences.isControlledBy(r, Meta.uid(deployment)))
                .filter(r -> Long.toString(revision).equals(
                        r.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText()))
                .findFirst().orElseThrow();
        ObjectNode template = rs.path("spec").path("template").deepCopy();
        ((ObjectNode) template.path("metadata").path("labels")).remove("pod-template-hash");
        ObjectNode annotations = client.mapper().createObjectNode();
        for (Map.Entry<String, JsonNode> kept : deployment.path("metadata").path("annotations").properties()) {
            if (RevisionAnnotations.SKIPPED.contains(kept.getKey())) {
                annotations.set(kept.getKey(), kept.getValue());
            }
        }
        for (Map.Entry<String, JsonNode> copied : rs.path("metadata").path("annotations").properties()) {
            if (!RevisionAnnotations.SKIPPED.contains(copied.getKey())) {
                annotations.set(copied.getKey(), copied.getValue());
            }
        }
        ((ObjectNode) deployment.path("spec")).set("template", template);
        Meta.of(deployment).set("annotations", annotations);
        client.update(ResourceType.DEPLOYMENTS, deployment);
    }
}
