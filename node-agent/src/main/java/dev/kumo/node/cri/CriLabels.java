package dev.kumo.node.cri;

/** The labels and annotations the kubelet puts on sandboxes and containers, by which it finds them again. */
final class CriLabels {
    static final String POD_NAME = "io.kubernetes.pod.name";
    static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String POD_UID = "io.kubernetes.pod.uid";
    static final String CONTAINER_NAME = "io.kubernetes.container.name";
    /** Not a kubelet label: tells init containers from the others (the kubelet keeps that in its pod spec). */
    static final String CONTAINER_KIND = "dev.kumo.container.kind";
    static final String KIND_INIT = "init";
    static final String KIND_REGULAR = "regular";
    static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    static final String TERMINATION_GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
    /** containerd's CRI names its container ids with this scheme in pod status. */
    static final String CONTAINER_ID_SCHEME = "containerd://";

    private CriLabels() {
    }
}
