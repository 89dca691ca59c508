package dev.kumo.infra.controlplane;

import dev.kumo.infra.constructs.KumoFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.constructs.Construct;

import java.util.List;

/**
 * An EventBridge rule that invokes a function once a minute. A tick that meets the previous run still going
 * (reserved concurrency 1) is dropped rather than queued: no retries and a maximum event age of the interval, since
 * the next tick comes a minute later anyway, instead of waiting in Lambda's async queue for hours.
 */
final class MinuteTick {
    static final Duration INTERVAL = Duration.minutes(1);

    private MinuteTick() {
    }

    static Rule invoke(Construct scope, String id, String description, KumoFunction function) {
        function.function().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(0)
                .maxEventAge(INTERVAL)
                .build());
        return Rule.Builder.create(scope, id)
                .description(description)
                .schedule(Schedule.rate(INTERVAL))
                .targets(List.of(new LambdaFunction(function.entryPoint())))
                .build();
    }
}
