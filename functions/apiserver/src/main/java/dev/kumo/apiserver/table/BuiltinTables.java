package dev.kumo.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import static dev.kumo.apiserver.table.TableColumn.integer;
import static dev.kumo.apiserver.table.TableColumn.of;
import static dev.kumo.apiserver.table.TableColumn.wide;

/** The columns of Kubernetes' own printers for the built-in kinds. */
public final class BuiltinTables {
    private BuiltinTables() {
    }

    public static TableConvertor namespaces() {
        return new TableConvertor(List.of(of("Status", "The status of the namespace",
                o -> o.path("status").path("phase").asText(""))));
    }

    public static TableConvertor pods() {
        return new TableConvertor(List.of(
                of("Ready", "The aggregate readiness state of this pod for accepting traffic.", BuiltinTables::podReady),
                of("Status", "The aggregate status of the containers in this pod.", BuiltinTables::podStatus),
                of("Restarts", "The number of times the containers in this pod have been restarted.",
                        o -> Integer.toString(sum(o.path("status").path("containerStatuses"), "restartCount"))),
                TableColumn.AGE,
                wide("IP", "IP address allocated to the pod.", o -> text(o.path("status").path("podIP"), "<none>")),
                wide("Node", "Name of the Node this pod is bound to.", o -> text(o.path("spec").path("nodeName"), "<none>")),
                wide("Nominated Node", "Name of the node where this pod may be scheduled.",
                        o -> text(o.path("status").path("nominatedNodeName"), "<none>")),
                wide("Readiness Gates", "The readiness gates of this pod.", o -> o.path("spec").has("readinessGates")
                        ? o.path("spec").path("readinessGates").size() + "" : "<none>")));
    }

    public static TableConvertor nodes() {
        return new TableConvertor(List.of(
                of("Status", "The status of the node", BuiltinTables::nodeStatus),
                of("Roles", "The roles of the node", BuiltinTables::nodeRoles),
                TableColumn.AGE,
                of("Version", "Kubelet Version reported by the node.",
                        o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")),
                wide("Internal-IP", "List of internal IPs for the node.", o -> address(o, "InternalIP")),
                wide("External-IP", "List of external IPs for the node.", o -> address(o, "ExternalIP")),
                wide("OS-Image", "OS image reported by the node.",
                        o -> o.path("status").path("nodeInfo").path("osImage").asText("")),
                wide("Kernel-Version", "Kernel version reported by the node.",
                        o -> o.path("status").path("nodeInfo").path("kernelVersion").asText("")),
                wide("Container-Runtime", "Container runtime reported by the node.",
                        o -> o.path("status").path("nodeInfo").path("containerRuntimeVersion").asText(""))));
    }

    public static TableConvertor services() {
        return new TableConvertor(List.of(
                of("Type", "The type of the service.", o -> o.path("spec").path("type").asText("")),
                of("Cluster-IP", "The cluster IP of the service.", o -> text(o.path("spec").path("clusterIP"), "<none>")),
                of("External-IP", "The external IP of the service.", BuiltinTables::serviceExternalIp),
                of("Port(s)", "The ports of the service.", BuiltinTables::servicePorts),
                TableColumn.AGE,
                wide("Selector", "The selector of the service.", o -> selector(o.path("spec").path("selector")))));
    }

    public static TableConvertor endpoints() {
        return new TableConvertor(List.of(of("Endpoints", "Endpoints of the service.", BuiltinTables::endpoints)));
    }

    public static TableConvertor endpointSlices() {
        return new TableConvertor(List.of(
                of("AddressType", "The type of addresses.", o -> o.path("addressType").asText("")),
                of("Ports", "The ports of the endpoint slice.", o -> {
                    StringJoiner ports = new StringJoiner(",");
                    o.path("ports").forEach(p -> ports.add(p.path("port").asText("")));
                    return ports.length() == 0 ? "<unset>" : ports.toString();
                }),
                of("Endpoints", "The endpoints of the slice.", o -> {
                    List<String> addresses = new ArrayList<>();
                    o.path("endpoints").forEach(e -> e.path("addresses").forEach(a -> addresses.add(a.asText())));
                    return abbreviate(addresses);
                })));
    }

    public static TableConvertor configMaps() {
        return new TableConvertor(List.of(integer("Data", "Number of data entries.",
                o -> o.path("data").size() + o.path("binaryData").size())));
    }

    public static TableConvertor secrets() {
        return new TableConvertor(List.of(
                of("Type", "The type of the secret", o -> o.path("type").asText("")),
                integer("Data", "Number of data entries.", o -> o.path("data").size())));
    }

    public static TableConvertor serviceAccounts() {
        return new TableConvertor(List.of(integer("Secrets", "Number of secrets.", o -> o.path("secrets").size())));
    }

    /** Kubernetes' LimitRange printer: Name and Created At. */
    public static TableConvertor limitRanges() {
        return TableConvertor.nameAndCreatedAt();
    }

    /** kubectl's quota columns: {@code name: used/hard} per resource, limits.* under Limit, the rest under Request. */
    public static TableConvertor resourceQuotas() {
        return new TableConvertor(List.of(TableColumn.AGE,
                of("Request", "Request represents a minimum amount of cpu/memory that a container may consume.",
                        o -> quotaColumn(o, false)),
                of("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent "
                        + "of contention on the node.", o -> quotaColumn(o, true))));
    }

    private static String quotaColumn(ObjectNode quota, boolean limits) {
        StringJoiner cells = new StringJoiner(", ");
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        quota.path("status").path("hard").fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String[] pieces = name.split("\\.");
            if ((pieces.length > 1 && pieces[0].equals("limits")) == limits) {
                cells.add(name + ": " + quotaValue(quota.path("status").path("used").path(name)) + "/"
                        + quotaValue(quota.path("status").path("hard").path(name)));
            }
        }
        return cells.toString();
    }

    private static String quotaValue(JsonNode value) {
        return value.isMissingNode() ? "0" : value.asText();
    }

    public static TableConvertor leases() {
        return new TableConvertor(List.of(of("Holder", "The holder of the lease.",
                o -> o.path("spec").path("holderIdentity").asText(""))));
    }

    public static TableConvertor deployments() {
        return new TableConvertor(List.of(
                of("Ready", "Number of the pod with ready state", o -> o.path("status").path("readyReplicas").asLong(0)
                        + "/" + o.path("spec").path("replicas").asLong(0)),
                integer("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have "
                        + "the desired template spec.", o -> o.path("status").path("updatedReplicas").asLong(0)),
                integer("Available", "Total number of available pods (ready for at least minReadySeconds) "
                        + "targeted by this deployment.", o -> o.path("status").path("availableReplicas").asLong(0)),
                TableColumn.AGE,
                wide("Containers", "Names of each container in the template.", o -> containers(o, "name")),
                wide("Images", "Images referenced by each container in the template.", o -> containers(o, "image")),
                wide("Selector", "Label selector for pods.", o -> selector(o.path("spec").path("selector").path("matchLabels")))));
    }

    /** kumo's NodePools: the size bounds, then the nodes registered and Ready. */
    public static TableConvertor nodePools() {
        return new TableConvertor(List.of(
                integer("Min", "The fewest nodes the pool keeps.", o -> o.path("spec").path("minSize").asLong(0)),
                integer("Max", "The most nodes the pool may have.", o -> o.path("spec").path("maxSize").asLong(0)),
                integer("Nodes", "Nodes of the pool registered with the cluster.",
                        o -> o.path("status").path("nodes").asLong(0)),
                integer("Ready", "Nodes of the pool that are Ready.",
                        o -> o.path("status").path("readyNodes").asLong(0)),
                TableColumn.AGE,
                wide("Instance-Types", "The instance types the pool's nodes are launched as.",
                        o -> java.util.stream.StreamSupport.stream(o.path("spec").path("instanceTypes").spliterator(), false)
                                .map(com.fasterxml.jackson.databind.JsonNode::asText)
                                .collect(java.util.stream.Collectors.joining(","))),
                wide("Desired", "The size set by scale, if any.", o -> o.path("spec").has("replicas")
                        ? o.path("spec").path("replicas").asText() : "<none>")));
    }

    public static TableConvertor replicaSets() {
        return new TableConvertor(List.of(
                integer("Desired", "Number of desired pods.", o -> o.path("spec").path("replicas").asLong(0)),
                integer("Current", "Number of actual replicas.", o -> o.path("status").path("replicas").asLong(0)),
                integer("Ready", "Number of ready replicas.", o -> o.path("status").path("readyReplicas").asLong(0)),
                TableColumn.AGE,
                wide("Containers", "Names of each container in the template.", o -> containers(o, "name")),
                wide("Images", "Images referenced by each container in the template.", o -> containers(o, "image")),
                wide("Selector", "Label selector for pods.", o -> selector(o.path("spec").path("selector").path("matchLabels")))));
    }

    /** {@code kubectl get events}: Last Seen, Type, Reason, Object, Message first. */
    public static TableConvertor events(Clock clock) {
        return new TableConvertor(List.of(
                of("Last Seen", "Time when last occurred.", o -> Ages.since(lastSeen(o), clock)),
                of("Type", "Type of this event.", o -> o.path("type").asText("")),
                of("Reason", "Why the action was taken.", o -> o.path("reason").asText("")),
                of("Object", "The object this event is about.", o -> {
                    JsonNode involved = o.path("involvedObject");
                    return involved.path("kind").asText("").toLowerCase() + "/" + involved.path("name").asText("");
                }),
                of("Message", "A human-readable description of the status of this operation.",
                        o -> o.path("message").asText("").trim())));
    }

    private static String lastSeen(JsonNode event) {
        for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
            String value = event.path(field).asText("");
            if (!value.isEmpty() && !value.equals("null")) {
                return value.length() > 20 && value.contains(".") ? value.substring(0, 19) + "Z" : value;
            }
        }
        return event.path("metadata").path("creationTimestamp").asText("");
    }

    private static String podReady(ObjectNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            if (status.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + total;
    }

    private static String podStatus(ObjectNode pod) {
        if (pod.path("metadata").has("deletionTimestamp")) {
            return "Terminating";
        }
        String reason = pod.path("status").path("reason").asText("");
        String status = reason.isEmpty() ? pod.path("status").path("phase").asText("Pending") : reason;
        for (JsonNode container : pod.path("status").path("containerStatuses")) {
            JsonNode waiting = container.path("state").path("waiting");
            JsonNode terminated = container.path("state").path("terminated");
            if (!waiting.path("reason").asText("").isEmpty()) {
                status = waiting.path("reason").asText();
            } else if (!terminated.isMissingNode() && !terminated.path("reason").asText("").isEmpty()) {
                status = terminated.path("reason").asText();
            }
        }
        return status;
    }

    private static String nodeStatus(ObjectNode node) {
        String ready = "Unknown";
        for (JsonNode condition : node.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                ready = condition.path("status").asText().equals("True") ? "Ready" : "NotReady";
            }
        }
        return node.path("spec").path("unschedulable").asBoolean(false) ? ready + ",SchedulingDisabled" : ready;
    }

    private static String nodeRoles(ObjectNode node) {
        List<String> roles = new ArrayList<>();
        node.path("metadata").path("labels").fieldNames().forEachRemaining(label -> {
            if (label.startsWith("node-role.kubernetes.io/")) {
                roles.add(label.substring("node-role.kubernetes.io/".length()));
            }
        });
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    private static String address(ObjectNode node, String type) {
        for (JsonNode address : node.path("status").path("addresses")) {
            if (address.path("type").asText().equals(type)) {
                return address.path("address").asText();
            }
        }
        return "<none>";
    }

    private static String serviceExternalIp(ObjectNode service) {
        String type = service.path("spec").path("type").asText("");
        if (type.equals("ExternalName")) {
            return service.path("spec").path("externalName").asText("");
        }
        List<String> ips = new ArrayList<>();
        service.path("status").path("loadBalancer").path("ingress").forEach(i ->
                ips.add(i.has("ip") ? i.path("ip").asText() : i.path("hostname").asText()));
        service.path("spec").path("externalIPs").forEach(ip -> ips.add(ip.asText()));
        if (ips.isEmpty()) {
            return type.equals("LoadBalancer") ? "<pending>" : "<none>";
        }
        return String.join(",", ips);
    }

    private static String servicePorts(ObjectNode service) {
        StringJoiner ports = new StringJoiner(",");
        for (JsonNode port : service.path("spec").path("ports")) {
            String entry = port.path("port").asText();
            if (port.has("nodePort")) {
                entry += ":" + port.path("nodePort").asText();
            }
            ports.add(entry + "/" + port.path("protocol").asText("TCP"));
        }
        return ports.length() == 0 ? "<none>" : ports.toString();
    }

    private static String endpoints(ObjectNode endpoints) {
        List<String> all = new ArrayList<>();
        for (JsonNode subset : endpoints.path("subsets")) {
            for (JsonNode address : subset.path("addresses")) {
                if (subset.path("ports").isEmpty()) {
                    all.add(address.path("ip").asText());
                }
                for (JsonNode port : subset.path("ports")) {
                    all.add(address.path("ip").asText() + ":" + port.path("port").asText());
                }
            }
        }
        return all.isEmpty() ? "<none>" : abbreviate(all);
    }

    private static String abbreviate(List<String> values) {
        if (values.isEmpty()) {
            return "<unset>";
        }
        if (values.size() <= 3) {
            return String.join(",", values);
        }
        return String.join(",", values.subList(0, 3)) + " + " + (values.size() - 3) + " more...";
    }

    private static String containers(ObjectNode workload, String field) {
        StringJoiner joined = new StringJoiner(",");
        workload.path("spec").path("template").path("spec").path("containers")
                .forEach(c -> joined.add(c.path(field).asText("")));
        return joined.toString();
    }

    private static String selector(JsonNode labels) {
        StringJoiner joined = new StringJoiner(",");
        labels.fields().forEachRemaining(e -> joined.add(e.getKey() + "=" + e.getValue().asText()));
        return joined.length() == 0 ? "<none>" : joined.toString();
    }

    private static int sum(JsonNode array, String field) {
        int total = 0;
        for (JsonNode element : array) {
            total += element.path(field).asInt(0);
        }
        return total;
    }

    private static String text(JsonNode node, String fallback) {
        String value = node.asText("");
        return value.isEmpty() ? fallback : value;
    }
}
