package dev.kumo.controllers.scheduler.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.PodInfo;

/** A pod built up the way kube-scheduler's tests use {@code st.MakePod()}. */
public final class MakePod {
    private final ObjectNode pod = Json.MAPPER.createObjectNode();

    private MakePod(String name) {
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
        pod.putObject("spec");
    }

    public static MakePod pod(String name) {
        return new MakePod(name);
    }

    private ObjectNode metadata() {
        return (ObjectNode) pod.get("metadata");
    }

    private ObjectNode spec() {
        return (ObjectNode) pod.get("spec");
    }

    public MakePod namespace(String namespace) {
        metadata().put("namespace", namespace);
        return this;
    }

    public MakePod label(String key, String value) {
        metadata().withObjectProperty("labels").put(key, value);
        return this;
    }

    /** A container requesting the given amounts: name, quantity, name, quantity... */
    public MakePod req(String... amounts) {
        container(spec().withArray("containers"), amounts);
        return this;
    }

    public MakePod initReq(String... amounts) {
        container(spec().withArray("initContainers"), amounts);
        return this;
    }

    /** A restartable init container (a sidecar) with these requests. */
    public MakePod sidecarReq(String... amounts) {
        container(spec().withArray("initContainers"), amounts).put("restartPolicy", "Always");
        return this;
    }

    private static ObjectNode container(ArrayNode containers, String... amounts) {
        ObjectNode container = containers.addObject().put("name", "c" + containers.size()).put("image", "pause");
        if (amounts.length > 0) {
            ObjectNode requests = container.putObject("resources").putObject("requests");
            for (int i = 0; i < amounts.length; i += 2) {
                requests.put(amounts[i], amounts[i + 1]);
            }
        }
        return container;
    }

    public MakePod overhead(String... amounts) {
        ObjectNode overhead = spec().putObject("overhead");
        for (int i = 0; i < amounts.length; i += 2) {
            overhead.put(amounts[i], amounts[i + 1]);
        }
        return this;
    }

    /** A container binding host ports, each written {@code PROTOCOL/IP/PORT} as in kube-scheduler's tests. */
    public MakePod hostPorts(String... ports) {
        ObjectNode container = container(spec().withArray("containers"));
        ArrayNode list = container.putArray("ports");
        for (String port : ports) {
            String[] parts = port.split("/");
            list.addObject().put("protocol", parts[0]).put("hostIP", parts[1])
                    .put("hostPort", Integer.parseInt(parts[2])).put("containerPort", Integer.parseInt(parts[2]));
        }
        return this;
    }

    public MakePod node(String nodeName) {
        spec().put("nodeName", nodeName);
        return this;
    }

    public MakePod priority(int priority) {
        spec().put("priority", priority);
        return this;
    }

    public MakePod nodeSelector(String key, String value) {
        spec().withObjectProperty("nodeSelector").put(key, value);
        return this;
    }

    public MakePod toleration(String key, String operator, String value, String effect) {
        ObjectNode toleration = spec().withArray("tolerations").addObject();
        if (!key.isEmpty()) {
            toleration.put("key", key);
        }
        if (!operator.isEmpty()) {
            toleration.put("operator", operator);
        }
        if (!value.isEmpty()) {
            toleration.put("value", value);
        }
        if (!effect.isEmpty()) {
            toleration.put("effect", effect);
        }
        return this;
    }

    /** A field of {@code spec} given as JSON (affinity, topologySpreadConstraints, preemptionPolicy...). */
    public MakePod spec(String field, String json) {
        spec().set(field, Json.parse(json));
        return this;
    }

    public MakePod status(String field, String json) {
        pod.withObjectProperty("status").set(field, Json.parse(json));
        return this;
    }

    public MakePod terminating() {
        metadata().put("deletionTimestamp", "2024-01-01T00:00:00Z");
        return this;
    }

    public MakePod controller(String apiVersion, String kind, String name) {
        metadata().withArray("ownerReferences").addObject().put("apiVersion", apiVersion).put("kind", kind)
                .put("name", name).put("uid", "uid-" + name).put("controller", true);
        return this;
    }

    public ObjectNode obj() {
        return pod;
    }

    public PodInfo info() {
        return PodInfo.of(pod);
    }
}
