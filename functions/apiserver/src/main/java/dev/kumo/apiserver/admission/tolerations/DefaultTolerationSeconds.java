package dev.kumo.apiserver.admission.tolerations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.AdmissionRequest;

/**
 * kube-apiserver's DefaultTolerationSeconds admission plugin: every pod that does not tolerate the
 * {@code node.kubernetes.io/not-ready} and {@code node.kubernetes.io/unreachable} NoExecute taints already gets a
 * toleration of each for 300 s (on create and update of the pod itself), so that the node lifecycle controller evicts
 * it five minutes after its node went unready or silent rather than at once.
 */
public final class DefaultTolerationSeconds implements AdmissionPlugin {
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    /**
     * kube-apiserver's default of {@code --default-not-ready-toleration-seconds} and
     * {@code --default-unreachable-toleration-seconds}.
     */
    public static final long DEFAULT_SECONDS = 300;

    @Override
    public void admit(AdmissionRequest request) {
        if (!request.is("", "pods") || !request.subresource().isEmpty() || request.object() == null
                || request.operation() == AdmissionRequest.Operation.DELETE) {
            return;
        }
        JsonNode spec = request.object().path("spec");
        if (!spec.isObject()) {
            return; // validation refuses it
        }
        boolean notReady = false;
        boolean unreachable = false;
        for (JsonNode toleration : spec.path("tolerations")) {
            String key = toleration.path("key").asText("");
            String effect = toleration.path("effect").asText("");
            boolean noExecute = effect.isEmpty() || effect.equals("NoExecute");
            notReady |= noExecute && (key.isEmpty() || key.equals(NOT_READY));
            unreachable |= noExecute && (key.isEmpty() || key.equals(UNREACHABLE));
        }
        if (notReady && unreachable) {
            return;
        }
        ObjectNode podSpec = (ObjectNode) spec;
        ArrayNode tolerations = podSpec.path("tolerations").isArray() ? (ArrayNode) podSpec.get("tolerations")
                : podSpec.putArray("tolerations");
        if (!notReady) {
            tolerations.addObject().put("key", NOT_READY).put("operator", "Exists").put("effect", "NoExecute")
                    .put("tolerationSeconds", DEFAULT_SECONDS);
        }
        if (!unreachable) {
            tolerations.addObject().put("key", UNREACHABLE).put("operator", "Exists").put("effect", "NoExecute")
                    .put("tolerationSeconds", DEFAULT_SECONDS);
        }
    }
}
