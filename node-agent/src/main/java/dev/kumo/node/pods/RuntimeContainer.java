package dev.kumo.node.pods;

import java.time.Instant;

/**
 * One container as the runtime reports it: its state (waiting with a reason, running since, or terminated with an
 * exit code), its image and ids, how often it restarted, the readiness and startup the agent derives from its
 * probes (a container without probes is ready and started once running), and how its previous run ended
 * ({@code lastTermination}, null when it has not run before: the status's {@code lastState}).
 */
public record RuntimeContainer(String name, State state, String image, String imageId, String containerId,
                               int restartCount, Instant startedAt, Instant finishedAt, int exitCode, String reason,
                               String message, boolean ready, boolean started, RuntimeContainer lastTermination) {

    public enum State { WAITING, RUNNING, TERMINATED }

    /** A container that has not run before (or whose previous run is not known). */
    public RuntimeContainer(String name, State state, String image, String imageId, String containerId,
                            int restartCount, Instant startedAt, Instant finishedAt, int exitCode, String reason,
                            String message, boolean ready, boolean started) {
        this(name, state, image, imageId, containerId, restartCount, startedAt, finishedAt, exitCode, reason, message,
                ready, started, null);
    }

    /** The same, with {@code previous} (terminated) as how its last run ended. */
    public RuntimeContainer withLastTermination(RuntimeContainer previous) {
        return new RuntimeContainer(name, state, image, imageId, containerId, restartCount, startedAt, finishedAt,
                exitCode, reason, message, ready, started, previous);
    }

    /** The same with {@code ready} and {@code started} as the container's probes say. */
    public RuntimeContainer withProbeResults(boolean ready, boolean started) {
        return new RuntimeContainer(name, state, image, imageId, containerId, restartCount, startedAt, finishedAt,
                exitCode, reason, message, ready, started, lastTermination);
    }

    public static RuntimeContainer running(String name, String image, String imageId, String containerId,
                                           int restartCount, Instant startedAt, boolean ready) {
        return new RuntimeContainer(name, State.RUNNING, image, imageId, containerId, restartCount, startedAt, null,
                0, "", "", ready, true);
    }

    /**
     * A container that ended: {@code Completed} for exit code 0, {@code Error} otherwise (containerd's words).
     * {@code ready} is what the kubelet reports for it: true for an init container that succeeded, else false.
     */
    public static RuntimeContainer terminated(String name, String image, String imageId, String containerId,
                                              int restartCount, Instant startedAt, Instant finishedAt, int exitCode,
                                              boolean ready) {
        return new RuntimeContainer(name, State.TERMINATED, image, imageId, containerId, restartCount, startedAt,
                finishedAt, exitCode, exitCode == 0 ? "Completed" : "Error", "", ready, false);
    }

    public static RuntimeContainer waiting(String name, String image, String reason, String message,
                                           int restartCount) {
        return new RuntimeContainer(name, State.WAITING, image, "", "", restartCount, null, null, 0, reason, message,
                false, false);
    }
}
