package dev.kumo.local.lambda;

import java.time.Duration;
import java.util.Objects;

/**
 * An EventBridge rule with a {@code rate(...)} schedule expression targeting one function.
 *
 * @param ruleName     the rule's name, which ends its ARN in the event's {@code resources}
 * @param functionName the target function
 * @param rate         the period; as with EventBridge the first event comes one period after the rule starts
 */
public record ScheduleRule(String ruleName, String functionName, Duration rate) {

    public ScheduleRule {
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(rate, "rate");
        if (rate.isNegative() || rate.isZero()) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
    }
}
