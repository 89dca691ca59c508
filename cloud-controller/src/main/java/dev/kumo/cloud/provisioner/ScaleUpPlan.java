package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The provisioner's choice: {@code newNodes} more nodes for {@code pool}, on which {@code pods} would run. */
record ScaleUpPlan(NodePool pool, int newNodes, List<ObjectNode> pods) {
    ScaleUpPlan {
        pods = List.copyOf(pods);
    }
}
