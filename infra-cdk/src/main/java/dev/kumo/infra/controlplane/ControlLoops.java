package dev.kumo.infra.controlplane;

import dev.kumo.apimachinery.client.RootCaBundle;
import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.controllers.lambda.ApiConnection;
import dev.kumo.controllers.lambda.ControlLoopHandler;
import dev.kumo.controllers.lambda.FanOutHandler;
import dev.kumo.cloud.CloudPart;
import dev.kumo.cloud.CloudSettings;
import dev.kumo.controllers.lambda.LoopCatalog;
import dev.kumo.controllers.lambda.ResyncTickHandler;
import dev.kumo.controllers.lambda.SqsKeyQueues;
import dev.kumo.controllers.lambda.TimerHandler;
import dev.kumo.controllers.scheduler.loop.SchedulerLoop;
import dev.kumo.infra.constructs.ControlLoop;
import dev.kumo.infra.constructs.ControlLoopProps;
import dev.kumo.infra.constructs.DeadLetterAlarm;
import dev.kumo.infra.constructs.KumoFunction;
import dev.kumo.infra.constructs.KumoFunctionProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The control loops in AWS, laid out as the local cluster's {@code LocalControlLoops} lays them out: a
 * {@link ControlLoop} (FIFO queue, dead-letter queue, reconciler) for every entry of {@link LoopCatalog}; the
 * fan-out, the one reader of the event log's stream, which turns committed changes into keys on those queues; the
 * standard timer queue whose function forwards delayed keys (requeue-after) when they are due; and the minute tick
 * that asks every loop to resync. Every function runs a handler of {@code functions/controllers}' Lambda jar; the
 * cloud controller's loops and the fan-out run them from {@code cloud-controller}'s, which adds the cloud loops and
 * the EC2 and ELBv2 clients (the other loops stay on the leaner jar).
 *
 * <p>The loops never touch the store: they call the API with IAM tokens signed by their own roles, which
 * {@link #identities()} names so that the API maps each to its loop's user.
 */
public final class ControlLoops extends Construct {
    /** Deliveries of a key or delayed key before it goes to a dead-letter queue, as the local cluster has it. */
    static final int MAX_RECEIVES = 5;
    /** A batch of keys: several API calls each, one reconcile at a time per key group. */
    static final Duration LOOP_TIMEOUT = Duration.minutes(1);
    /** Fan-out, timer and tick: a few SQS batch sends per invocation. */
    static final Duration SUPPORT_TIMEOUT = Duration.seconds(30);
    /**
     * Up to 100 records per invocation: the handler collapses repeated keys within a batch, and sends in batches
     * of 10, so larger batches mean fewer invocations and sends without adding latency (Lambda invokes as soon as
     * records are there: no batching window).
     */
    static final int STREAM_BATCH_SIZE = 100;
    /** Retries of a failing stream batch (halved each time by bisection) before its records go to the failures queue. */
    static final int STREAM_RETRIES = 10;
    /** A record older than this is given up on (sent to the failures queue) rather than holding its shard back. */
    static final Duration STREAM_MAX_RECORD_AGE = Duration.hours(1);

    /** A loop function's role and the API user it stands for. */
    public record Identity(IRole role, String user) {
    }

    private final Map<String, ControlLoop> loops = new LinkedHashMap<>();
    private final List<Identity> identities = new ArrayList<>();
    private final Queue timer;
    private final KumoFunction fanOut;

    public ControlLoops(Construct scope, String id, ControlLoopsProps props) {
        super(scope, id);
        Queue timerDeadLetters = deadLetterQueue("TimerDeadLetters");
        this.timer = Queue.Builder.create(this, "Timer")
                .visibilityTimeout(ControlLoop.visibilityTimeout(SUPPORT_TIMEOUT))
                .deadLetterQueue(DeadLetterQueue.builder().queue(timerDeadLetters).maxReceiveCount(MAX_RECEIVES).build())
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        DeadLetterAlarm.on(this, "TimerDeadLettersAlarm", timerDeadLetters,
                "Delayed keys the timer could not forward to their loops " + MAX_RECEIVES + " times");

        Map<String, String> connection = new HashMap<>();
        connection.put(ApiConnection.ENV_SERVER, props.apiUrl());
        connection.put(ApiConnection.ENV_CLUSTER_NAME, props.cluster()); // IAM tokens signed for this cluster
        // kube-root-ca.crt (the serviceaccount loop publishes it): pods trust API Gateway through Amazon's roots,
        // as the API function says.
        connection.put(RootCaBundle.ENV_FROM_JVM, ControlPlaneStack.AMAZON_ROOT_CA);
        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            boolean cloudLoop = entry.user().equals(LoopCatalog.CLOUD_CONTROLLER_USER);
            if (cloudLoop && props.cloud() == null) {
                continue;
            }
            Map<String, String> environment = connection;
            Set<CloudPart> parts = cloudLoop ? CloudLoopParts.of(entry.name()) : Set.of();
            if (cloudLoop) {
                environment = new HashMap<>(connection);
                environment.putAll(props.cloud().environment());
                environment.put(CloudSettings.ENV_PROVIDER, CloudSettings.AWS);
                environment.put(CloudPart.ENV_PARTS, CloudPart.setting(parts));
            }
            ControlLoop loop = new ControlLoop(this, "Loop-" + entry.name(), ControlLoopProps.builder()
                    .loop(entry.name())
                    .timer(timer)
                    .maxReceiveCount(MAX_RECEIVES)
                    .maxConcurrency(props.loopMaxConcurrency())
                    .reconciler(functionProps(props, ControlLoopHandler.class, cloudLoop)
                            .description("kumo control loop " + entry.name() + ", as " + entry.user())
                            .memoryMb(entry.name().equals(SchedulerLoop.NAME) ? props.schedulerMemoryMb()
                                    : props.loopMemoryMb())
                            .timeout(LOOP_TIMEOUT)
                            .environment(environment)
                            .build())
                    .build());
            IRole role = loop.reconciler().function().getRole();
            parts.forEach(part -> props.cloud().statements(part).forEach(role::addToPrincipalPolicy));
            loops.put(entry.name(), loop);
            identities.add(new Identity(role, entry.user()));
        }

        Map<String, String> queues = Map.of(
                SqsKeyQueues.ENV_LOOP_QUEUES, loopQueueList(),
                SqsKeyQueues.ENV_TIMER_QUEUE, timer.getQueueUrl());
        timer(props, queues);
        tick(props, queues);
        this.fanOut = fanOut(props);
    }

    /** Forwards delayed keys to their loops' queues when due, or back onto the timer queue for the rest. */
    private void timer(ControlLoopsProps props, Map<String, String> queues) {
        KumoFunction function = new KumoFunction(this, "TimerFunction", functionProps(props, TimerHandler.class, false)
                .description("kumo timer: forwards delayed keys (requeue-after) to their loops when due")
                .memoryMb(props.supportMemoryMb())
                .timeout(SUPPORT_TIMEOUT)
                .environment(queues)
                .build());
        grantSendToLoops(function);
        timer.grantSendMessages(function.function());
        function.entryPoint().addEventSource(new SqsEventSource(timer, SqsEventSourceProps.builder()
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build()));
    }

    /** One run at a time: two ticks in one minute would enqueue the same resync requests (deduplicated anyway). */
    private void tick(ControlLoopsProps props, Map<String, String> queues) {
        KumoFunction function = new KumoFunction(this, "ResyncTick", functionProps(props, ResyncTickHandler.class, false)
                .description("kumo resync tick: asks every control loop to resync, once a minute")
                .memoryMb(props.supportMemoryMb())
                .timeout(SUPPORT_TIMEOUT)
                .environment(queues)
                .reservedConcurrency(1)
                .build());
        grantSendToLoops(function);
        MinuteTick.invoke(this, "ResyncSchedule", "Asks kumo's control loops to resync", function);
    }

    /**
     * The one reader of the log's stream (DESIGN.md allows two per shard; the second stays free). Its per-shard
     * concurrency is already one (parallelization factor 1, which also keeps each shard's order), so it has no
     * reserved concurrency: that would throttle shards against each other after a split.
     */
    private KumoFunction fanOut(ControlLoopsProps props) {
        Map<String, String> environment = new HashMap<>(props.store().environment());
        environment.put(SqsKeyQueues.ENV_LOOP_QUEUES, loopQueueList());
        // Changes to these resources are sent as keys only: the fan-out holds no key to read their values.
        environment.put(StorageEncryption.ENV_RESOURCES, props.encryptedResources());
        // The cloud jar when the cloud loops run: the fan-out runs every loop's key mapper, theirs included.
        KumoFunction function = new KumoFunction(this, "FanOut", functionProps(props, FanOutHandler.class,
                props.cloud() != null)
                .description("kumo fan-out: the event log's stream into keys on the control loops' queues")
                .memoryMb(props.supportMemoryMb())
                .timeout(SUPPORT_TIMEOUT)
                .environment(environment)
                .build());
        grantSendToLoops(function);
        props.store().grantLogStreamRead(function.function());

        Queue failures = deadLetterQueue("FanOutFailures");
        DeadLetterAlarm.on(this, "FanOutFailuresAlarm", failures, "Stream records the fan-out could not turn into "
                + "keys after " + STREAM_RETRIES + " retries; the queue holds their shard and sequence numbers");
        // TRIM_HORIZON: a new mapping (first deploy, or one replaced) starts from the oldest record the stream
        // keeps (24 h), so changes committed while no mapping read the stream still reach the loops; reconciling
        // again what was done already is harmless. LATEST would drop them, and nothing would look again until a
        // resync.
        EventSourceMapping.Builder.create(this, "LogStream")
                .target(function.entryPoint())
                .eventSourceArn(props.store().log().getTableStreamArn())
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(STREAM_BATCH_SIZE)
                .maxBatchingWindow(Duration.seconds(0))
                .parallelizationFactor(1)
                .bisectBatchOnError(true)
                .retryAttempts(STREAM_RETRIES)
                .maxRecordAge(STREAM_MAX_RECORD_AGE)
                .reportBatchItemFailures(true)
                .onFailure(new SqsDlq(failures))
                .build();
        return function;
    }

    /** A function of the controllers' jar, or of the cloud controller's ({@code cloudJar}: a superset). */
    private static KumoFunctionProps.Builder functionProps(ControlLoopsProps props, Class<?> handler,
                                                           boolean cloudJar) {
        return KumoFunctionProps.builder()
                .handler(handler.getName() + "::handleRequest")
                .code(cloudJar ? props.cloud().code() : props.code())
                .logRetention(props.logRetention());
    }

    private Queue deadLetterQueue(String id) {
        return Queue.Builder.create(this, id)
                .retentionPeriod(ControlLoop.DEAD_LETTER_RETENTION)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
    }

    /** {@code loop=queue-url,...} for every loop, as {@code SqsKeyQueues} reads it. */
    private String loopQueueList() {
        StringJoiner list = new StringJoiner(",");
        loops.forEach((name, loop) -> list.add(name + "=" + loop.queue().getQueueUrl()));
        return list.toString();
    }

    private void grantSendToLoops(KumoFunction function) {
        loops.values().forEach(loop -> loop.queue().grantSendMessages(function.function()));
    }

    /** Every loop, by its catalog name. */
    public Map<String, ControlLoop> loops() {
        return Map.copyOf(loops);
    }

    /** Each loop function's role and its API user, for the API's IAM mappings. */
    public List<Identity> identities() {
        return List.copyOf(identities);
    }

    public IQueue timer() {
        return timer;
    }

    public KumoFunction fanOut() {
        return fanOut;
    }
}
