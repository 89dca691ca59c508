package dev.kumo.controllers.scheduler.framework;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a pod did not fit (kube-scheduler's {@code framework.Diagnosis}): each evaluated node's status, the status of
 * the nodes never evaluated (left out by a PreFilter), and the PreFilter and PostFilter messages.
 */
public final class Diagnosis {
    private final Map<String, Status> nodeToStatus = new LinkedHashMap<>();
    private Status absentNodesStatus = Status.unresolvable();
    private String preFilterMessage = "";
    private String postFilterMessage = "";

    public void set(String nodeName, Status status) {
        nodeToStatus.put(nodeName, status);
    }

    /** The node's status; a node not in the map has the absent nodes' status. */
    public Status get(String nodeName) {
        return nodeToStatus.getOrDefault(nodeName, absentNodesStatus);
    }

    public Map<String, Status> nodeToStatus() {
        return Collections.unmodifiableMap(nodeToStatus);
    }

    public Status absentNodesStatus() {
        return absentNodesStatus;
    }

    public void setAbsentNodesStatus(Status status) {
        this.absentNodesStatus = status;
    }

    public String preFilterMessage() {
        return preFilterMessage;
    }

    public void setPreFilterMessage(String message) {
        this.preFilterMessage = message;
    }

    public String postFilterMessage() {
        return postFilterMessage;
    }

    public void setPostFilterMessage(String message) {
        this.postFilterMessage = message;
    }
}
