package dev.kumo.infra.controlplane;

import dev.kumo.infra.state.ClusterKeys;
import dev.kumo.infra.state.ClusterStore;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link ControlPlaneStack} deploys and where.
 *
 * @param env                 account and region, or null for an environment-agnostic template
 * @param store               the state stack's tables
 * @param keys                the state stack's keys (secrets at rest, token signing)
 * @param cluster             the cluster's name
 * @param admins              IAM ARNs mapped to the cluster's admins
 * @param apiserverJar        the shaded Lambda jar of {@code functions/apiserver} (its handlers)
 * @param apiMemoryMb         the API server function's memory
 * @param compactionMemoryMb  the compaction function's memory
 * @param compactionRetention how much event history compaction keeps: watches and lists from older
 *                            resourceVersions answer 410 Gone
 * @param logRetention        of every function's log group
 */
public record ControlPlaneStackProps(Environment env, ClusterStore store, ClusterKeys keys, String cluster,
                                     List<String> admins, Path apiserverJar, int apiMemoryMb,
                                     int compactionMemoryMb, Duration compactionRetention,
                                     RetentionDays logRetention) {

    public ControlPlaneStackProps {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(cluster, "cluster");
        admins = List.copyOf(admins);
        Objects.requireNonNull(apiserverJar, "apiserverJar");
        Objects.requireNonNull(compactionRetention, "compactionRetention");
        Objects.requireNonNull(logRetention, "logRetention");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Environment env;
        private ClusterStore store;
        private ClusterKeys keys;
        private String cluster = "kumo";
        private List<String> admins = List.of();
        private Path apiserverJar;
        private int apiMemoryMb = 1024;
        private int compactionMemoryMb = 512;
        private Duration compactionRetention = Duration.minutes(5);
        private RetentionDays logRetention = RetentionDays.ONE_MONTH;

        private Builder() {
        }

        public Builder env(Environment env) {
            this.env = env;
            return this;
        }

        public Builder store(ClusterStore store) {
            this.store = store;
            return this;
        }

        public Builder keys(ClusterKeys keys) {
            this.keys = keys;
            return this;
        }

        /** The cluster's name: IAM tokens carry it ({@code x-k8s-aws-id}), so a token for another cluster fails. */
        public Builder cluster(String cluster) {
            this.cluster = cluster;
            return this;
        }

        /** IAM role or user ARNs that are the cluster's admins (system:masters), as EKS maps its creator. */
        public Builder admins(List<String> admins) {
            this.admins = admins;
            return this;
        }

        public Builder apiserverJar(Path apiserverJar) {
            this.apiserverJar = apiserverJar;
            return this;
        }

        /** Default 1,024 MB: Jackson and the SDK start in a few seconds there, and SnapStart hides the rest. */
        public Builder apiMemoryMb(int apiMemoryMb) {
            this.apiMemoryMb = apiMemoryMb;
            return this;
        }

        /** Default 512 MB: one background run a minute, where time matters little. */
        public Builder compactionMemoryMb(int compactionMemoryMb) {
            this.compactionMemoryMb = compactionMemoryMb;
            return this;
        }

        /** Default five minutes, as kube-apiserver compacts etcd. */
        public Builder compactionRetention(Duration compactionRetention) {
            this.compactionRetention = compactionRetention;
            return this;
        }

        /** Default one month. */
        public Builder logRetention(RetentionDays logRetention) {
            this.logRetention = logRetention;
            return this;
        }

        public ControlPlaneStackProps build() {
            return new ControlPlaneStackProps(env, store, keys, cluster, admins, apiserverJar, apiMemoryMb,
                    compactionMemoryMb,
                    compactionRetention, logRetention);
        }
    }
}
