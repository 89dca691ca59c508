package dev.kumo.node.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers the node's Node object as the kubelet does ({@code registerWithAPIServer}): creates it with its labels,
 * spec and first status; when it exists already (the agent restarted, or someone made it), reconciles the labels the
 * agent owns and the attach/detach annotation, and sets the pod CIDR if the Node has none. A pod CIDR the Node
 * already carries wins over the configured one (it is immutable once set), as a kubelet takes its Node's.
 */
public final class NodeRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);
    static final String ATTACH_DETACH_ANNOTATION = "volumes.kubernetes.io/controller-managed-attach-detach";

    private final KubeClient client;
    private final NodeConfig config;
    private final Map<String, String> annotations;

    public NodeRegistration(KubeClient client, NodeConfig config) {
        this(client, config, Map.of());
    }

    /** @param annotations set on the Node besides the attach/detach one (the kubelet endpoint's certificate) */
    public NodeRegistration(KubeClient client, NodeConfig config, Map<String, String> annotations) {
        this.client = client;
        this.config = config;
        this.annotations = Map.copyOf(annotations);
    }

    /** Creates or reconciles the Node; {@code status} is the first status (used only when creating). */
    public ObjectNode register(ObjectNode status) {
        ObjectNode node = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        ObjectNode metadata = node.putObject("metadata").put("name", config.name());
        ObjectNode labels = metadata.putObject("labels");
        labels().forEach(labels::put);
        ObjectNode annotationNode = metadata.putObject("annotations").put(ATTACH_DETACH_ANNOTATION, "true");
        annotations.forEach(annotationNode::put);
        ObjectNode spec = node.putObject("spec").put("podCIDR", config.podCidr());
        spec.putArray("podCIDRs").add(config.podCidr());
        if (!config.taints().isEmpty()) {
            var taints = spec.putArray("taints");
            config.taints().forEach(t -> taints.addObject().put("key", t.key()).put("value", t.value())
                    .put("effect", t.effect()));
        }
        node.set("status", status);
        try {
            ObjectNode created = client.create(ResourceType.NODES, "", node);
            LOG.atInfo().addKeyValue("node", config.name()).addKeyValue("podCIDR", config.podCidr())
                    .log("registered the node");
            return created;
        } catch (ApiError e) {
            if (e.code() != 409) {
                throw e;
            }
        }
        ObjectNode existing = client.get(ResourceType.NODES, "", config.name()).orElseThrow(() ->
                new IllegalStateException("node " + config.name() + " existed at create and was gone at get"));
        return reconcile(existing);
    }

    private ObjectNode reconcile(ObjectNode existing) {
        ObjectNode patch = client.mapper().createObjectNode();
        JsonNode current = existing.path("metadata").path("labels");
        labels().forEach((key, value) -> {
            if (!value.equals(current.path(key).asText(null))) {
                patchMetadata(patch, "labels").put(key, value);
            }
        });
        if (!"true".equals(existing.path("metadata").path("annotations").path(ATTACH_DETACH_ANNOTATION)
                .asText(null))) {
            patchMetadata(patch, "annotations").put(ATTACH_DETACH_ANNOTATION, "true");
        }
        annotations.forEach((key, value) -> {
            if (!value.equals(existing.path("metadata").path("annotations").path(key).asText(null))) {
                patchMetadata(patch, "annotations").put(key, value);
            }
        });
        String podCidr = existing.path("spec").path("podCIDR").asText("");
        if (podCidr.isEmpty()) {
            ObjectNode spec = patch.putObject("spec").put("podCIDR", config.podCidr());
            spec.putArray("podCIDRs").add(config.podCidr());
        } else if (!podCidr.equals(config.podCidr())) {
            LOG.atWarn().addKeyValue("node", config.name()).addKeyValue("podCIDR", podCidr)
                    .addKeyValue("configured", config.podCidr())
                    .log("the node was registered before with another pod CIDR; using the registered one");
        }
        LOG.atInfo().addKeyValue("node", config.name()).addKeyValue("changes", patch.toString())
                .log("node was previously registered");
        if (patch.isEmpty()) {
            return existing;
        }
        return client.mergePatch(ResourceType.NODES, "", config.name(), "", patch);
    }

    private static ObjectNode patchMetadata(ObjectNode patch, String field) {
        ObjectNode metadata = patch.has("metadata") ? (ObjectNode) patch.get("metadata") : patch.putObject("metadata");
        return metadata.has(field) ? (ObjectNode) metadata.get(field) : metadata.putObject(field);
    }

    /** The kubelet's default labels (the beta ones too, which it still sets), then the configured ones. */
    private Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", config.architecture());
        labels.put("beta.kubernetes.io/os", config.operatingSystem());
        labels.put("kubernetes.io/arch", config.architecture());
        labels.put("kubernetes.io/hostname", config.name());
        labels.put("kubernetes.io/os", config.operatingSystem());
        labels.putAll(config.labels());
        return labels;
    }

    /** The pod CIDR the registered Node carries. */
    public static String podCidr(ObjectNode node) {
        return node.path("spec").path("podCIDR").asText("");
    }
}
