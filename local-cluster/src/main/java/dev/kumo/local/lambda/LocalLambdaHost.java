package dev.kumo.local.lambda;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs Lambda handlers in this JVM with what AWS does around them: functions created from a handler class name,
 * invoked synchronously (the API server) or by event source mappings (DynamoDB streams, SQS queues) and schedule
 * rules (the control loops). The AWS clients are the caller's; the host never closes them.
 */
public final class LocalLambdaHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalLambdaHost.class);

    private final AwsLocation location;
    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;
    private final ClassLoader classLoader;
    private final Clock clock;
    private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
    private final List<LocalEventSource> sources = new ArrayList<>();
    private boolean started;
    private boolean closed;

    /**
     * @param location where ARNs say the functions run
     * @param streams  reads DynamoDB streams for stream mappings
     * @param sqs      polls queues for SQS mappings and sends to on-failure destinations
     */
    public LocalLambdaHost(AwsLocation location, DynamoDbStreamsClient streams, SqsClient sqs) {
        this(location, streams, sqs, LocalLambdaHost.class.getClassLoader(), Clock.systemUTC());
    }

    LocalLambdaHost(AwsLocation location, DynamoDbStreamsClient streams, SqsClient sqs, ClassLoader classLoader,
                    Clock clock) {
        this.location = Objects.requireNonNull(location, "location");
        this.streams = streams;
        this.sqs = sqs;
        this.classLoader = classLoader;
        this.clock = clock;
    }

    public AwsLocation location() {
        return location;
    }

    /** CreateFunction: instantiates the first handler now, so a handler that cannot be created fails here. */
    public synchronized LocalFunction createFunction(FunctionConfiguration configuration) {
        requireOpen();
        if (functions.containsKey(configuration.functionName())) {
            throw new IllegalArgumentException("Function already exists: " + configuration.functionName());
        }
        LocalFunction function = new LocalFunction(configuration, location, classLoader, clock);
        functions.put(configuration.functionName(), function);
        log.atInfo().addKeyValue("function", configuration.functionName())
                .addKeyValue("handler", configuration.handler())
                .addKeyValue("reservedConcurrentExecutions", configuration.reservedConcurrentExecutions())
                .addKeyValue("timeout", configuration.timeout()).log("Function created");
        return function;
    }

    public synchronized LocalFunction function(String functionName) {
        LocalFunction function = functions.get(functionName);
        if (function == null) {
            throw new IllegalArgumentException("Function not found: " + functionName);
        }
        return function;
    }

    /** Invoke with InvocationType RequestResponse; see {@link LocalFunction#invoke}. */
    public InvocationResult invoke(String functionName, Object event) throws InterruptedException {
        return function(functionName).invoke(event);
    }

    /** CreateEventSourceMapping for a DynamoDB stream; it starts with the host, or at once if the host runs. */
    public synchronized DynamoDbStreamEventSource createEventSourceMapping(DynamoDbStreamMapping mapping) {
        requireOpen();
        Objects.requireNonNull(streams, "This host has no DynamoDbStreamsClient");
        return add(new DynamoDbStreamEventSource(mapping, function(mapping.functionName()), streams, sqs, location));
    }

    /** CreateEventSourceMapping for an SQS queue; it starts with the host, or at once if the host runs. */
    public synchronized SqsEventSource createEventSourceMapping(SqsMapping mapping) {
        requireOpen();
        Objects.requireNonNull(sqs, "This host has no SqsClient");
        return add(new SqsEventSource(mapping, function(mapping.functionName()), sqs, location));
    }

    /** PutRule + PutTargets for a rate schedule; it starts with the host, or at once if the host runs. */
    public synchronized ScheduledTick putRule(ScheduleRule rule) {
        requireOpen();
        return add(new ScheduledTick(rule, function(rule.functionName()), location, clock));
    }

    private <S extends LocalEventSource> S add(S source) {
        sources.add(source);
        if (started) {
            source.start();
        }
        return source;
    }

    /** Starts every event source; one that cannot reach its stream or queue fails the start. */
    public synchronized void start() {
        requireOpen();
        if (started) {
            return;
        }
        started = true;
        for (LocalEventSource source : sources) {
            source.start();
        }
    }

    /** Stops the event sources, then the functions, interrupting in-flight invocations; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LocalEventSource source : sources.reversed()) {
            closeQuietly(source::close, source);
        }
        for (LocalFunction function : functions.values()) {
            closeQuietly(function::close, function.functionName());
        }
        log.info("Lambda host stopped");
    }

    private static void closeQuietly(Runnable close, Object what) {
        try {
            close.run();
        } catch (RuntimeException e) {
            // One component failing to stop must not leave the others running.
            log.atError().addKeyValue("component", what).setCause(e).log("Failed to stop");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Lambda host is closed");
        }
    }
}
