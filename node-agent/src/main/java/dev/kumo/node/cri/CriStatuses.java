package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.ContainerStatus;
import dev.kumo.node.pods.RuntimeContainer;

import java.time.Instant;

/** A CRI container status as the agent reports it (the kubelet's {@code toKubeContainerStatus}). */
final class CriStatuses {
    private CriStatuses() {
    }

    /**
     * {@code image} is what the pod's spec names (the status shows it, not the runtime's resolved reference);
     * {@code readyWhenSucceeded}: an init container that succeeded counts as ready, as the kubelet reports it.
     */
    static RuntimeContainer toRuntime(ContainerStatus status, String image, boolean readyWhenSucceeded) {
        String name = status.getMetadata().getName();
        int restartCount = status.getMetadata().getAttempt();
        String id = CriLabels.CONTAINER_ID_SCHEME + status.getId();
        String imageId = status.getImageRef().isEmpty() ? status.getImageId() : status.getImageRef();
        return switch (status.getState()) {
            case CONTAINER_RUNNING -> RuntimeContainer.running(name, image, imageId, id, restartCount,
                    instant(status.getStartedAt()), true);
            case CONTAINER_EXITED -> {
                int exitCode = status.getExitCode();
                String reason = status.getReason().isEmpty() ? (exitCode == 0 ? "Completed" : "Error")
                        : status.getReason();
                Instant started = status.getStartedAt() == 0 ? instant(status.getCreatedAt())
                        : instant(status.getStartedAt());
                yield new RuntimeContainer(name, RuntimeContainer.State.TERMINATED, image, imageId, id,
                        restartCount, started, instant(status.getFinishedAt()), exitCode, reason,
                        status.getMessage(), readyWhenSucceeded && exitCode == 0, false);
            }
            case CONTAINER_CREATED -> new RuntimeContainer(name, RuntimeContainer.State.WAITING, image, imageId, id,
                    restartCount, null, null, 0, "ContainerCreating", "", false, false);
            default -> new RuntimeContainer(name, RuntimeContainer.State.WAITING, image, imageId, id, restartCount,
                    null, null, 0, "ContainerStatusUnknown", "The container's state is unknown to the runtime",
                    false, false);
        };
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
