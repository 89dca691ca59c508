package dev.kumo.infra.controlplane;

import dev.kumo.infra.constructs.VpcPlacement;
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
 * @param controllersJar      the shaded Lambda jar of {@code functions/controllers} (the control loops)
 * @param apiMemoryMb         the API server function's memory
 * @param compactionMemoryMb  the compaction function's memory
 * @param compactionRetention how much event history compaction keeps: watches and lists from older
 *                            resourceVersions answer 410 Gone
 * @param loopMemoryMb        each control loop's memory, but the scheduler's
 * @param schedulerMemoryMb   the scheduler loop's memory
 * @param loopSupportMemoryMb the memory of the loops' fan-out, timer and tick functions
 * @param loopMaxConcurrency  at most this many invocations of one loop at once
 * @param logRetention        of every function's log group
 * @param cloud               the cloud controller's jar, settings and permissions (from the nodes stack); null
 *                            leaves its loops out (a control plane without nodes)
 * @param apiNetwork          where the API server function runs in the nodes' VPC (from the nodes stack), so that
 *                            it reaches the agents' port; null runs it outside any VPC (no {@code kubectl logs})
 */
public record ControlPlaneStackProps(Environment env, ClusterStore store, ClusterKeys keys, String cluster,
                                     List<String> admins, Path apiserverJar, Path controllersJar,
                                     int apiMemoryMb, int compactionMemoryMb, Duration compactionRetention,
                                     int loopMemoryMb, int schedulerMemoryMb, int loopSupportMemoryMb,
                                     int loopMaxConcurrency, RetentionDays logRetention,
                                     CloudControllerProps cloud, VpcPlacement apiNetwork) {

    public ControlPlaneStackProps {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(cluster, "cluster");
        admins = List.copyOf(admins);
        Objects.requireNonNull(apiserverJar, "apiserverJar");
        Objects.requireNonNull(controllersJar, "controllersJar");
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
        private CloudControllerProps cloud;
        private VpcPlacement apiNetwork;
        private Path controllersJar;
        private int apiMemoryMb = 1024;
        private int compactionMemoryMb = 512;
        private Duration compactionRetention = Duration.minutes(5);
        private int loopMemoryMb = 512;
        private int schedulerMemoryMb = 1024;
        private int loopSupportMemoryMb = 512;
        private int loopMaxConcurrency = 10;
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

        public Builder controllersJar(Path controllersJar) {
            this.controllersJar = controllersJar;
            return this;
        }

        /** The cloud controller's loops; without them, nothing launches nodes or load balancers. */
        public Builder cloud(CloudControllerProps cloud) {
            this.cloud = cloud;
            return this;
        }

        /** The API server function's subnets and security group in the nodes' VPC; without them, no logs. */
        public Builder apiNetwork(VpcPlacement apiNetwork) {
            this.apiNetwork = apiNetwork;
            return this;
        }

        /**
         * Default 512 MB: a loop's handler holds about 8 MB of heap after init and its work is waiting on API
         * calls; 512 MB (about 0.3 vCPU) keeps a cold start's init (1.4-1.5 s of one core measured) near 5 s,
         * well inside Lambda's 10 s init limit. See docs/infra-cdk.md.
         */
        public Builder loopMemoryMb(int loopMemoryMb) {
            this.loopMemoryMb = loopMemoryMb;
            return this;
        }

        /** Default 1,024 MB: the scheduler filters and scores every node for every pod, CPU-bound work. */
        public Builder schedulerMemoryMb(int schedulerMemoryMb) {
            this.schedulerMemoryMb = schedulerMemoryMb;
            return this;
        }

        /** Default 512 MB: fan-out, timer and tick hold under 10 MB of heap; see {@link #loopMemoryMb}. */
        public Builder loopSupportMemoryMb(int loopSupportMemoryMb) {
            this.loopSupportMemoryMb = loopSupportMemoryMb;
            return this;
        }

        /** Default 10: a burst of keys cannot take the account's (and the API function's) concurrency. */
        public Builder loopMaxConcurrency(int loopMaxConcurrency) {
            this.loopMaxConcurrency = loopMaxConcurrency;
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
            return new ControlPlaneStackProps(env, store, keys, cluster, admins, apiserverJar, controllersJar,
                    apiMemoryMb, compactionMemoryMb, compactionRetention, loopMemoryMb, schedulerMemoryMb,
                    loopSupportMemoryMb, loopMaxConcurrency, logRetention, cloud, apiNetwork);
        }
    }
}
