package dev.kumo.node.probes;

/**
 * The kubelet's three probes, each with the result a new container starts with ({@code worker.initialValue}): not
 * ready until a readiness probe succeeds, alive until a liveness probe fails, and not started until a startup probe
 * says so.
 */
public enum ProbeType {
    LIVENESS("Liveness", "livenessProbe", ProbeResult.SUCCESS),
    READINESS("Readiness", "readinessProbe", ProbeResult.FAILURE),
    STARTUP("Startup", "startupProbe", ProbeResult.UNKNOWN);

    private final String word;
    private final String field;
    private final ProbeResult initial;

    ProbeType(String word, String field, ProbeResult initial) {
        this.word = word;
        this.field = field;
        this.initial = initial;
    }

    /** How the kubelet's messages name it: "Readiness probe failed: ...". */
    public String word() {
        return word;
    }

    /** The container's field that holds it. */
    public String field() {
        return field;
    }

    ProbeResult initial() {
        return initial;
    }
}
