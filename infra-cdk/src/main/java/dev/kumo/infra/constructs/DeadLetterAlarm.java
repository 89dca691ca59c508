package dev.kumo.infra.constructs;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The alarm every dead-letter queue gets: in ALARM as soon as one message waits there (a key, a delayed key or a
 * stream record that could not be handled), back to OK once someone has dealt with it. An idle queue publishes no
 * data points, which is not a breach.
 */
public final class DeadLetterAlarm {
    private DeadLetterAlarm() {
    }

    public static Alarm on(Construct scope, String id, IQueue deadLetters, String description) {
        return deadLetters
                .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(Duration.minutes(1)).statistic("Maximum").build())
                .createAlarm(scope, id, CreateAlarmOptions.builder()
                        .alarmDescription(description)
                        .threshold(1)
                        .evaluationPeriods(1)
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());
    }
}
