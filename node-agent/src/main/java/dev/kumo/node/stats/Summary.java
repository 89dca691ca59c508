package dev.kumo.node.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.ApiTime;

import java.util.List;

/**
 * The kubelet's summary ({@code statsapi.Summary}, k8s.io/kubelet/pkg/apis/stats/v1alpha1), served as
 * {@code GET /stats/summary}: the node's stats and each pod's. {@link #toJson} writes the kubelet's JSON: optional
 * fields that are unknown are left out ({@code omitempty} pointers), times are {@code metav1.Time}.
 */
public record Summary(NodeStats node, List<PodStats> pods) {

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        ObjectNode node = json.putObject("node");
        node.put("nodeName", this.node.nodeName()).put("startTime", ApiTime.time(this.node.startTime()));
        cpu(node, this.node.cpu());
        memory(node, this.node.memory());
        if (this.node.fs() != null) {
            FsStats fs = this.node.fs();
            ObjectNode out = node.putObject("fs").put("time", ApiTime.time(fs.time()));
            putIfKnown(out, "availableBytes", fs.availableBytes());
            putIfKnown(out, "capacityBytes", fs.capacityBytes());
            putIfKnown(out, "usedBytes", fs.usedBytes());
        }
        ArrayNode pods = json.putArray("pods");
        for (PodStats pod : this.pods) {
            ObjectNode out = pods.addObject();
            out.putObject("podRef").put("name", pod.name()).put("namespace", pod.namespace()).put("uid", pod.uid());
            out.put("startTime", ApiTime.time(pod.startTime()));
            ArrayNode containers = out.putArray("containers");
            for (ContainerStats container : pod.containers()) {
                ObjectNode c = containers.addObject().put("name", container.name())
                        .put("startTime", ApiTime.time(container.startTime()));
                cpu(c, container.cpu());
                memory(c, container.memory());
            }
            cpu(out, pod.cpu());
            memory(out, pod.memory());
        }
        return json;
    }

    private static void cpu(ObjectNode parent, CpuStats cpu) {
        if (cpu == null) {
            return;
        }
        ObjectNode out = parent.putObject("cpu").put("time", ApiTime.time(cpu.time()));
        putIfKnown(out, "usageNanoCores", cpu.usageNanoCores());
        putIfKnown(out, "usageCoreNanoSeconds", cpu.usageCoreNanoSeconds());
    }

    private static void memory(ObjectNode parent, MemoryStats memory) {
        if (memory == null) {
            return;
        }
        ObjectNode out = parent.putObject("memory").put("time", ApiTime.time(memory.time()));
        putIfKnown(out, "availableBytes", memory.availableBytes());
        putIfKnown(out, "usageBytes", memory.usageBytes());
        putIfKnown(out, "workingSetBytes", memory.workingSetBytes());
        putIfKnown(out, "rssBytes", memory.rssBytes());
        putIfKnown(out, "pageFaults", memory.pageFaults());
        putIfKnown(out, "majorPageFaults", memory.majorPageFaults());
    }

    private static void putIfKnown(ObjectNode out, String field, Long value) {
        if (value != null) {
            out.put(field, value);
        }
    }
}
