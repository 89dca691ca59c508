package dev.kumo.node.pods;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a runtime that runs real containers offers the agent's kubelet endpoint: a container's log file, and the
 * URLs of its streaming server for exec and port-forward (CRI's {@code Exec} and {@code PortForward}). Pods are
 * named as the API names them; the runtime finds them by its own labels. A runtime that cannot serve one of them
 * (the process runtime has no exec or port-forward) answers {@link Unavailable} with 400 saying why.
 */
public interface ContainerStreams {

    /** The log file of the container's newest instance (or the one before it), and whether that one still runs. */
    ContainerLog log(String namespace, String pod, String container, boolean previous) throws Unavailable;

    /** Where the runtime serves {@code command} in the container's running instance. */
    URI exec(String namespace, String pod, String container, Exec exec) throws Unavailable;

    /** Where the runtime forwards connections to {@code ports} (may be empty: the client names them) of the pod. */
    URI portForward(String namespace, String pod, List<Integer> ports) throws Unavailable;

    record ContainerLog(Path file, BooleanSupplier running) {
    }

    record Exec(List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    }

    /** The pod or container cannot serve the request; {@code status} is the HTTP status the kubelet answers. */
    final class Unavailable extends Exception {
        private final int status;

        public Unavailable(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
