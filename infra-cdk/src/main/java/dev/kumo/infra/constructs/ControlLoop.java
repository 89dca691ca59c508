package dev.kumo.infra.constructs;

import dev.kumo.controllers.lambda.ControlLoopHandler;
import dev.kumo.controllers.lambda.SqsKeyQueues;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.DeduplicationScope;
import software.amazon.awscdk.services.sqs.FifoThroughputLimit;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * A control loop, as controller-runtime has it: a queue of keys and a reconciler that drains it. The queue is an
 * SQS FIFO queue whose message group is the key (the functions set it), so one key is never reconciled by two
 * invocations at once while different keys run in parallel; deduplication and throughput are per message group
 * (high-throughput FIFO). Lambda reports failures per message ({@code ReportBatchItemFailures}), so one bad key
 * does not redeliver its batch; a key that fails {@code maxReceiveCount} times moves to the dead-letter queue, and
 * an alarm fires as soon as one is there. FIFO queues have no per-message delay: "requeue after" goes through the
 * shared standard timer queue, whose function forwards the key here when it is due.
 *
 * <p>The reconciler finds its loop's name in {@value #ENV_LOOP} and its queue in {@value #ENV_LOOP_QUEUES}
 * (it sends its own resync keys there), and the timer queue in {@value #ENV_TIMER_QUEUE}.
 */
public final class ControlLoop extends Construct {
    /** Read by controllers' {@code ControlLoopHandler}. */
    public static final String ENV_LOOP = ControlLoopHandler.ENV_LOOP;
    /** Read by controllers' {@code SqsKeyQueues}: {@code loop=queue-url}. */
    public static final String ENV_LOOP_QUEUES = SqsKeyQueues.ENV_LOOP_QUEUES;
    public static final String ENV_TIMER_QUEUE = SqsKeyQueues.ENV_TIMER_QUEUE;
    /** AWS's advice for a queue that triggers Lambda: visibility at least six times the function's timeout. */
    static final int VISIBILITY_TIMEOUTS = 6;
    /** SQS keeps a message at most 14 days; a dead letter waits that long for someone to look at it. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

    private final Queue queue;
    private final Queue deadLetters;
    private final KumoFunction reconciler;
    private final Alarm deadLetterAlarm;

    public ControlLoop(Construct scope, String id, ControlLoopProps props) {
        super(scope, id);
        this.deadLetters = Queue.Builder.create(this, "DeadLetters")
                .fifo(true)
                .retentionPeriod(DEAD_LETTER_RETENTION)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .fifo(true)
                .contentBasedDeduplication(false)
                .deduplicationScope(DeduplicationScope.MESSAGE_GROUP)
                .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID)
                .visibilityTimeout(visibilityTimeout(props))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetters).maxReceiveCount(props.maxReceiveCount()).build())
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();

        this.reconciler = new KumoFunction(this, "Reconciler", props.reconciler());
        reconciler.function().addEnvironment(ENV_LOOP, props.loop());
        reconciler.function().addEnvironment(ENV_LOOP_QUEUES, props.loop() + "=" + queue.getQueueUrl());
        queue.grantSendMessages(reconciler.function());
        if (props.timer() != null) {
            reconciler.function().addEnvironment(ENV_TIMER_QUEUE, props.timer().getQueueUrl());
            props.timer().grantSendMessages(reconciler.function());
        }
        reconciler.entryPoint().addEventSource(new SqsEventSource(queue, SqsEventSourceProps.builder()
                .batchSize(props.batchSize())
                .maxConcurrency(props.maxConcurrency())
                .reportBatchItemFailures(true)
                .build()));

        this.deadLetterAlarm = DeadLetterAlarm.on(this, "DeadLettersAlarm", deadLetters, "Keys that "
                + reconciler.getNode().getPath() + " failed to reconcile " + props.maxReceiveCount()
                + " times wait in its dead-letter queue");
    }

    /** Six timeouts (FIFO event sources have no batching window to add). */
    static Duration visibilityTimeout(ControlLoopProps props) {
        return visibilityTimeout(props.reconciler().timeout());
    }

    /** The visibility of a queue that triggers a function with {@code functionTimeout} and no batching window. */
    public static Duration visibilityTimeout(Duration functionTimeout) {
        return Duration.seconds(functionTimeout.toSeconds().doubleValue() * VISIBILITY_TIMEOUTS);
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
