package dev.kumo.node.probes;

/** What a probe said ({@code results.Result}): unknown until a first result where the kubelet starts there. */
public enum ProbeResult {
    SUCCESS, FAILURE, UNKNOWN
}
