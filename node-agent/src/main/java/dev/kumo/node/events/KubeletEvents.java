package dev.kumo.node.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.node.pods.PodEvents;

import java.time.Clock;

/**
 * The node's events, as the kubelet records them: {@code source.component} and {@code reportingComponent}
 * {@value #COMPONENT}, {@code source.host} and {@code reportingInstance} the node, in the pod's namespace, and for a
 * container the involved object's {@code fieldPath} as the kubelet's {@code GenerateContainerRef} makes it
 * ({@code spec.containers{name}}, {@code spec.initContainers{name}}, {@code spec.ephemeralContainers{name}}).
 */
public final class KubeletEvents implements PodEvents {
    public static final String COMPONENT = "kubelet";

    private final EventRecorder recorder;

    public KubeletEvents(KubeClient client, String nodeName, Clock clock) {
        this.recorder = new EventRecorder(client, COMPONENT, nodeName, clock);
    }

    @Override
    public void pod(JsonNode pod, String type, String reason, String message) {
        recorder.event(withKind(pod), "", type, reason, message);
    }

    @Override
    public void container(JsonNode pod, String container, String type, String reason, String message) {
        recorder.event(withKind(pod), fieldPath(pod, container), type, reason, message);
    }

    /** The kubelet's {@code fieldPath(pod, container)}; "" for a name the pod does not have. */
    static String fieldPath(JsonNode pod, String container) {
        JsonNode spec = pod.path("spec");
        for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
            for (JsonNode candidate : spec.path(list)) {
                if (container.equals(candidate.path("name").asText())) {
                    return "spec." + list + "{" + container + "}";
                }
            }
        }
        return "";
    }

    /** Pods from a watch carry their kind; one built elsewhere may not, and the involved object needs it. */
    private static JsonNode withKind(JsonNode pod) {
        if (pod.hasNonNull("kind") && pod.hasNonNull("apiVersion")) {
            return pod;
        }
        return ((com.fasterxml.jackson.databind.node.ObjectNode) pod.deepCopy()).put("apiVersion", "v1")
                .put("kind", "Pod");
    }
}
