package dev.kumo.controllers.scheduler.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A node built up the way kube-scheduler's tests use {@code st.MakeNode()}. */
public final class MakeNode {
    private final ObjectNode node = Json.MAPPER.createObjectNode();

    private MakeNode(String name) {
        node.put("apiVersion", "v1").put("kind", "Node");
        node.putObject("metadata").put("name", name).put("uid", "uid-" + name);
        node.putObject("spec");
        node.putObject("status").putObject("allocatable");
    }

    public static MakeNode node(String name) {
        return new MakeNode(name);
    }

    public MakeNode label(String key, String value) {
        ((ObjectNode) node.get("metadata")).withObjectProperty("labels").put(key, value);
        return this;
    }

    /** Allocatable amounts: name, quantity, name, quantity... */
    public MakeNode allocatable(String... amounts) {
        ObjectNode allocatable = (ObjectNode) node.get("status").get("allocatable");
        for (int i = 0; i < amounts.length; i += 2) {
            allocatable.put(amounts[i], amounts[i + 1]);
        }
        return this;
    }

    public MakeNode taint(String key, String value, String effect) {
        ObjectNode taint = ((ObjectNode) node.get("spec")).withArray("taints").addObject().put("key", key);
        if (!value.isEmpty()) {
            taint.put("value", value);
        }
        taint.put("effect", effect);
        return this;
    }

    public MakeNode unschedulable() {
        ((ObjectNode) node.get("spec")).put("unschedulable", true);
        return this;
    }

    public ObjectNode obj() {
        return node;
    }
}
