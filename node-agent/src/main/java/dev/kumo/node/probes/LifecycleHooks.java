package dev.kumo.node.probes;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a container's {@code lifecycle.postStart} or {@code lifecycle.preStop} handler as the kubelet's handler runner
 * ({@code pkg/kubelet/lifecycle/handlers.go}): {@code exec} through the runtime (an exit code other than 0 fails),
 * {@code httpGet} to the pod (only a connection that fails fails: the response's status is not looked at), and
 * {@code sleep}. Each is bounded by {@code timeout}: for preStop, the grace period, after which the kubelet stops the
 * container whether the hook ended or not.
 */
public final class LifecycleHooks {
    private final ProbeActions actions;
    private final ContainerExec exec;

    public LifecycleHooks(ContainerExec exec) {
        this.exec = exec;
        this.actions = new ProbeActions(exec);
    }

    /**
     * Runs {@code handler}; returns null when it succeeded (or ran out of {@code timeout}, which the kubelet does not
     * count as a failure), else the kubelet's message for the failure.
     */
    public String run(JsonNode handler, ProbeTarget target, Duration timeout, String formattedPod)
            throws InterruptedException {
        if (handler.has("exec")) {
            List<String> command = new ArrayList<>();
            handler.path("exec").path("command").forEach(part -> command.add(part.asText()));
            String error;
            String output = "";
            try {
                ContainerExec.Result result = exec.exec(target.containerId(), command, timeout);
                if (result.timedOut() || result.exitCode() == 0) {
                    return null;
                }
                output = result.output();
                error = "command '" + String.join(" ", command) + "' exited with " + result.exitCode() + ": "
                        + output;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                error = e.getMessage();
            }
            return "Exec lifecycle hook (" + command + ") for Container \"" + target.containerName() + "\" in Pod \""
                    + formattedPod + "\" failed - error: " + error + ", message: \"" + output + "\"";
        }
        if (handler.has("httpGet")) {
            ProbeOutcome outcome;
            try {
                outcome = actions.httpGet(handler.path("httpGet"), target, timeout);
            } catch (IllegalArgumentException e) { // a port name the container does not declare
                outcome = ProbeOutcome.error(e.getMessage());
            }
            boolean answered = outcome.result() == ProbeResult.SUCCESS
                    || outcome.output().startsWith("HTTP probe failed with statuscode");
            if (answered || outcome.output().contains("context deadline exceeded")) {
                return null;
            }
            return "HTTP lifecycle hook (" + handler.path("httpGet").path("path").asText("") + ") for Container \""
                    + target.containerName() + "\" in Pod \"" + formattedPod + "\" failed - error: "
                    + outcome.output();
        }
        if (handler.has("sleep")) {
            Duration sleep = Duration.ofSeconds(handler.path("sleep").path("seconds").asLong(0));
            Thread.sleep(timeout.isZero() || sleep.compareTo(timeout) < 0 ? sleep : timeout);
            return null;
        }
        return "invalid handler for Container \"" + target.containerName() + "\" in Pod \"" + formattedPod + "\": "
                + handler;
    }
}
