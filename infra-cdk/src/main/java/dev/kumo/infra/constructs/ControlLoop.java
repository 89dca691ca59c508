package dev.kumo.infra.constructs;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * A control loop, as controller-runtime has it: a queue of keys and a reconciler that drains it. The queue is a
 * standard SQS queue (reconcilers are level-triggered, so duplicate and out-of-order keys are harmless, and only a
 * standard queue delays single messages, which is how "requeue after" comes back). Lambda polls it and reports
 * failures per message ({@code ReportBatchItemFailures}), so one bad key does not redeliver its batch; a key that
 * fails {@code maxReceiveCount} times moves to the dead-letter queue, and an alarm fires as soon as one is there.
 *
 * <p>The reconciler finds its own queue's URL in {@value #ENV_QUEUE_URL} and may send to it (requeue after).
 */
public final class ControlLoop extends Construct {
    public static final String ENV_QUEUE_URL = "KUMO_QUEUE_URL";
    /** AWS's advice for a queue that triggers Lambda: visibility at least six times the function's timeout. */
    static final int VISIBILITY_TIMEOUTS = 6;
    /** SQS keeps a message at most 14 days; a dead letter waits that long for someone to look at it. */
    static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

    private final Queue queue;
    private final Queue deadLetters;
    private final KumoFunction reconciler;
    private final Alarm deadLetterAlarm;

    public ControlLoop(Construct scope, String id, ControlLoopProps props) {
        super(scope, id);
        this.deadLetters = Queue.Builder.create(this, "DeadLetters")
                .retentionPeriod(DEAD_LETTER_RETENTION)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .visibilityTimeout(visibilityTimeout(props))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetters).maxReceiveCount(props.maxReceiveCount()).build())
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();

        this.reconciler = new KumoFunction(this, "Reconciler", props.reconciler());
        reconciler.function().addEnvironment(ENV_QUEUE_URL, queue.getQueueUrl());
        queue.grantSendMessages(reconciler.function());
        reconciler.entryPoint().addEventSource(new SqsEventSource(queue, SqsEventSourceProps.builder()
                .batchSize(props.batchSize())
                .maxBatchingWindow(props.maxBatchingWindow())
                .maxConcurrency(props.maxConcurrency())
                .reportBatchItemFailures(true)
                .build()));

        this.deadLetterAlarm = deadLetters
                .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(Duration.minutes(1)).statistic("Maximum").build())
                .createAlarm(this, "DeadLettersAlarm", CreateAlarmOptions.builder()
                        .alarmDescription("Keys that " + reconciler.getNode().getPath()
                                + " failed to reconcile " + props.maxReceiveCount() + " times wait in its dead-letter queue")
                        .threshold(1)
                        .evaluationPeriods(1)
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());
    }

    /** Six timeouts, plus the batching window during which a received message already counts down. */
    static Duration visibilityTimeout(ControlLoopProps props) {
        double seconds = props.reconciler().timeout().toSeconds().doubleValue() * VISIBILITY_TIMEOUTS;
        if (props.maxBatchingWindow() != null) {
            seconds += props.maxBatchingWindow().toSeconds().doubleValue();
        }
        return Duration.seconds(seconds);
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetters() {
        return deadLetters;
    }

    public KumoFunction reconciler() {
        return reconciler;
    }

    /** In ALARM while a dead letter waits; add actions (a topic, a pager) where the stack knows them. */
    public Alarm deadLetterAlarm() {
        return deadLetterAlarm;
    }
}
