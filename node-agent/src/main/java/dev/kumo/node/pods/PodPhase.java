package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The kubelet's {@code getPhase}: a pod's phase from its containers' states, restart policy and termination. */
final class PodPhase {
    private PodPhase() {
    }

    static String of(JsonNode spec, RuntimePod runtime, boolean podIsTerminal) {
        Map<String, RuntimeContainer> init = byName(runtime.initContainers());
        Map<String, RuntimeContainer> regular = byName(runtime.containers());
        String restartPolicy = spec.path("restartPolicy").asText("Always");
        int pendingInitialization = 0;
        int failedInitialization = 0;
        int unknown = 0;
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (JsonNode container : spec.path("initContainers")) {
            RuntimeContainer status = init.get(container.path("name").asText());
            if (isRestartable(container)) {
                if (status == null) {
                    unknown++;
                    continue;
                }
                switch (status.state()) {
                    case RUNNING -> {
                        if (!status.started()) {
                            pendingInitialization++;
                        }
                        running++;
                    }
                    case TERMINATED -> {
                        // a stopped sidecar does not count towards the phase
                    }
                    case WAITING -> {
                        if (status.restartCount() == 0) {
                            pendingInitialization++;
                            waiting++;
                        }
                    }
                }
                continue;
            }
            if (status == null) {
                pendingInitialization++;
                continue;
            }
            switch (status.state()) {
                case RUNNING -> pendingInitialization++;
                case TERMINATED -> {
                    if (status.exitCode() != 0) {
                        failedInitialization++;
                    }
                }
                case WAITING -> pendingInitialization++;
            }
        }
        for (JsonNode container : spec.path("containers")) {
            RuntimeContainer status = regular.get(container.path("name").asText());
            if (status == null) {
                unknown++;
                continue;
            }
            switch (status.state()) {
                case RUNNING -> running++;
                case TERMINATED -> {
                    stopped++;
                    if (status.exitCode() == 0) {
                        succeeded++;
                    }
                }
                case WAITING -> {
                    if (status.restartCount() > 0) {
                        stopped++; // waiting to restart after it ended
                    } else {
                        waiting++;
                    }
                }
            }
        }
        if (failedInitialization > 0 && restartPolicy.equals("Never")) {
            return "Failed";
        }
        if ((pendingInitialization > 0 && !anyRegularStarted(regular.values().stream().toList())) || waiting > 0) {
            return "Pending";
        }
        if (running > 0 && unknown == 0) {
            return "Running";
        }
        if (running == 0 && stopped > 0 && unknown == 0) {
            if (podIsTerminal) {
                return stopped == succeeded ? "Succeeded" : "Failed";
            }
            if (restartPolicy.equals("Always")) {
                return "Running"; // all containers are restarting
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            return restartPolicy.equals("Never") ? "Failed" : "Running";
        }
        return "Pending";
    }

    /** An init container with {@code restartPolicy: Always}: a sidecar that keeps running beside the containers. */
    static boolean isRestartable(JsonNode initContainer) {
        return "Always".equals(initContainer.path("restartPolicy").asText(""));
    }

    /** Whether any regular container has run (the kubelet's HasAnyRegularContainerStarted). */
    static boolean anyRegularStarted(List<RuntimeContainer> containers) {
        return containers.stream().anyMatch(c -> c.state() != RuntimeContainer.State.WAITING || c.restartCount() > 0);
    }

    private static Map<String, RuntimeContainer> byName(List<RuntimeContainer> containers) {
        Map<String, RuntimeContainer> map = new HashMap<>();
        containers.forEach(c -> map.put(c.name(), c));
        return map;
    }
}
