package dev.kumo.node.dns;

/**
 * How {@code <a-b-c-d>.<ns>.pod.<zone>} is answered, as CoreDNS's {@code pods} option: not at all, from the name
 * alone (kube-dns' behaviour and kubeadm's Corefile, {@code pods insecure}), or only when a pod in that namespace
 * has that IP (which needs a watch on every pod, more than a node's credential may list).
 */
public enum PodRecords {
    DISABLED, INSECURE, VERIFIED
}
