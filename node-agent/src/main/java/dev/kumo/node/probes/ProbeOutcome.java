package dev.kumo.node.probes;

/**
 * One run of a probe's action: success or failure with the output the kubelet puts in its messages ("HTTP probe
 * failed with statuscode: 503", a command's output), or an error ({@code result} UNKNOWN) when the probe could not
 * be run at all — the kubelet's "probe errored", whose result it throws away.
 */
public record ProbeOutcome(ProbeResult result, String output) {
    public static ProbeOutcome success(String output) {
        return new ProbeOutcome(ProbeResult.SUCCESS, output);
    }

    public static ProbeOutcome failure(String output) {
        return new ProbeOutcome(ProbeResult.FAILURE, output);
    }

    public static ProbeOutcome error(String message) {
        return new ProbeOutcome(ProbeResult.UNKNOWN, message);
    }
}
