package dev.kumo.infra.constructs;

import dev.kumo.infra.state.ClusterStore;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link KumoFunction} runs and with what.
 *
 * @param handler             {@code class::method}, e.g. {@code dev.kumo.apiserver.lambda.ApiGatewayHandler::handleRequest}
 * @param code                the function's jar
 * @param description         shown in the console
 * @param memoryMb            128 to 10,240; CPU grows with it (one full vCPU at 1,769 MB)
 * @param timeout             of one invocation
 * @param environment         extra variables (the store's come with {@code store})
 * @param store               the store the function reads and writes, or null when it uses none
 * @param logRetention        how long its log group keeps events
 * @param snapStart           resume from a snapshot taken when a version is published (see {@link KumoFunction})
 * @param reservedConcurrency at most this many invocations at once, or null for the account's pool
 * @param vpc                 the subnets and security group of its network interfaces, or null to run outside any
 *                            VPC (AWS APIs over the internet, nothing private reachable)
 */
public record KumoFunctionProps(String handler, Code code, String description, int memoryMb, Duration timeout,
                                Map<String, String> environment, ClusterStore store, RetentionDays logRetention,
                                boolean snapStart, Integer reservedConcurrency, VpcPlacement vpc) {

    public KumoFunctionProps {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(logRetention, "logRetention");
        if (!handler.contains("::")) {
            throw new IllegalArgumentException("handler must be class::method, not " + handler);
        }
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new IllegalArgumentException("memoryMb must be within 128..10240, not " + memoryMb);
        }
        environment = Map.copyOf(environment);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String handler;
        private Code code;
        private String description;
        private int memoryMb = 1024;
        private Duration timeout = Duration.seconds(30);
        private Map<String, String> environment = Map.of();
        private ClusterStore store;
        private RetentionDays logRetention = RetentionDays.ONE_MONTH;
        private boolean snapStart;
        private Integer reservedConcurrency;
        private VpcPlacement vpc;

        private Builder() {
        }

        public Builder handler(String handler) {
            this.handler = handler;
            return this;
        }

        public Builder code(Code code) {
            this.code = code;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Default 1,024 MB. */
        public Builder memoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        /** Default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        public Builder store(ClusterStore store) {
            this.store = store;
            return this;
        }

        /** Default one month. */
        public Builder logRetention(RetentionDays logRetention) {
            this.logRetention = logRetention;
            return this;
        }

        /** Default off. */
        public Builder snapStart(boolean snapStart) {
            this.snapStart = snapStart;
            return this;
        }

        public Builder reservedConcurrency(Integer reservedConcurrency) {
            this.reservedConcurrency = reservedConcurrency;
            return this;
        }

        /** Default none: outside any VPC. */
        public Builder vpc(VpcPlacement vpc) {
            this.vpc = vpc;
            return this;
        }

        public KumoFunctionProps build() {
            return new KumoFunctionProps(handler, code, description, memoryMb, timeout, environment, store,
                    logRetention, snapStart, reservedConcurrency, vpc);
        }
    }
}
