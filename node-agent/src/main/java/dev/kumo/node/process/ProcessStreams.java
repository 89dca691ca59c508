package dev.kumo.node.process;

import dev.kumo.node.pods.ContainerStreams;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Logs of the process runtime's containers, served as the cri runtime serves them (the kubelet endpoint reads the
 * CRI log file each run writes); exec and port-forward answer 400 saying why there are none: a container is a
 * plain process of the node, with no namespaces to enter, and a pod listens on the node's own address.
 */
final class ProcessStreams implements ContainerStreams {
    private final Pods pods;

    /** The containers of the newest pod of that name on the node (init containers too), or empty. */
    @FunctionalInterface
    interface Pods {
        Optional<List<ProcessContainer>> containers(String namespace, String pod);
    }

    ProcessStreams(Pods pods) {
        this.pods = pods;
    }

    @Override
    public ContainerLog log(String namespace, String pod, String container, boolean previous) throws Unavailable {
        for (ProcessContainer candidate : containers(namespace, pod)) {
            if (candidate.name().equals(container)) {
                return candidate.log(pod, previous);
            }
        }
        // the API server checked the name against the spec: a container the runtime has not created yet (it waits
        // for the init containers), which the kubelet answers so
        throw new Unavailable(400, "container \"" + container + "\" in pod \"" + pod
                + "\" is waiting to start - no logs yet");
    }

    @Override
    public URI exec(String namespace, String pod, String container, Exec exec) throws Unavailable {
        containers(namespace, pod);
        throw new Unavailable(400, "the process runtime cannot exec: its containers are plain processes of the node; "
                + "run the command on the machine");
    }

    @Override
    public URI portForward(String namespace, String pod, List<Integer> ports) throws Unavailable {
        containers(namespace, pod);
        throw new Unavailable(400, "the process runtime cannot port-forward: its pods listen on the node's own "
                + "address; connect to the port on the machine");
    }

    /** As the kubelet: 404 for a pod it does not hold. */
    private List<ProcessContainer> containers(String namespace, String pod) throws Unavailable {
        return pods.containers(namespace, pod).orElseThrow(() -> new Unavailable(404, "pod \"" + pod
                + "\" does not exist"));
    }
}
