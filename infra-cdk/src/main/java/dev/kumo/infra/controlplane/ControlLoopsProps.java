package dev.kumo.infra.controlplane;

import dev.kumo.infra.state.ClusterStore;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.util.Objects;

/**
 * What {@link ControlLoops} runs and against what.
 *
 * @param code                the shaded Lambda jar of {@code functions/controllers}
 * @param store               the state stack's tables: the fan-out reads the log's stream
 * @param apiUrl              the Kubernetes API the loops call (the HTTP API's endpoint)
 * @param cluster             the cluster's name, which the loops' IAM tokens are signed for
 * @param encryptedResources  the store resources the API encrypts at rest (the fan-out sends only their keys)
 * @param loopMemoryMb        each reconciler's memory, but the scheduler's
 * @param schedulerMemoryMb   the scheduler's (it filters and scores every node for every pod)
 * @param supportMemoryMb     the fan-out's, the timer's and the tick's
 * @param loopMaxConcurrency  at most this many invocations of one loop at once (2 to 1,000)
 * @param logRetention        of every function's log group
 * @param cloud               the cloud controller's jar, settings and permissions; null: its loops are left out
 */
public record ControlLoopsProps(Code code, ClusterStore store, String apiUrl, String cluster,
                                String encryptedResources, int loopMemoryMb, int schedulerMemoryMb,
                                int supportMemoryMb, int loopMaxConcurrency, RetentionDays logRetention,
                                CloudControllerProps cloud) {

    public ControlLoopsProps {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(encryptedResources, "encryptedResources");
        Objects.requireNonNull(logRetention, "logRetention");
    }
}
