package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A created function: runs invocations the way Lambda does around handler code. Each concurrent invocation gets its
 * own handler instance (an execution environment), kept warm for later invocations; at most
 * {@code reservedConcurrentExecutions} run at once and further ones are throttled; an invocation past its timeout
 * fails and its environment is discarded.
 */
public final class LocalFunction implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalFunction.class);

    private final FunctionConfiguration configuration;
    private final String functionArn;
    private final HandlerFactory handlerFactory;
    private final Clock clock;
    private final Semaphore concurrency;
    /** Warm environments, most recently used first, as Lambda prefers a warm sandbox. */
    private final BlockingDeque<ExecutionEnvironment> idle = new LinkedBlockingDeque<>();
    private final ExecutorService executor;
    private volatile boolean closed;

    LocalFunction(FunctionConfiguration configuration, AwsLocation location, ClassLoader classLoader, Clock clock) {
        this.configuration = configuration;
        this.functionArn = location.functionArn(configuration.functionName());
        this.handlerFactory = new HandlerFactory(configuration.handler(), configuration.environment(), classLoader);
        this.clock = clock;
        this.concurrency = new Semaphore(configuration.reservedConcurrentExecutions());
        // Created now so that a handler whose constructor fails is reported when the function is created.
        idle.add(newEnvironment());
        this.executor = Executors.newCachedThreadPool(Threads.named("lambda-" + configuration.functionName()));
    }

    public FunctionConfiguration configuration() {
        return configuration;
    }

    public String functionName() {
        return configuration.functionName();
    }

    public String functionArn() {
        return functionArn;
    }

    /** Guards an event source against being wired to another function than the one its settings name. */
    void requireName(String functionName, String source) {
        if (!functionName.equals(functionName())) {
            throw new IllegalArgumentException(source + " targets " + functionName + ", not " + functionName());
        }
    }

    /**
     * A synchronous (RequestResponse) invocation.
     *
     * @throws TooManyRequestsException when the function already runs its reserved concurrency
     * @throws FunctionErrorException   when the handler throws, cannot be created, or times out
     * @throws InterruptedException     when the caller is interrupted; the handler is interrupted too
     */
    public InvocationResult invoke(Object event) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("Function " + functionName() + " is closed");
        }
        if (!concurrency.tryAcquire()) {
            throw new TooManyRequestsException(functionName(), configuration.reservedConcurrentExecutions());
        }
        String requestId = UUID.randomUUID().toString();
        ExecutionEnvironment environment;
        try {
            environment = warmOrNewEnvironment();
        } catch (RuntimeException initError) {
            concurrency.release();
            log.atError().addKeyValue("function", functionName()).addKeyValue("requestId", requestId)
                    .setCause(initError).log("Handler initialisation failed");
            throw new FunctionErrorException(functionName(), requestId, FunctionErrorException.INIT_ERROR,
                    String.valueOf(initError.getMessage()), initError);
        }
        InvocationContext context = new InvocationContext(configuration, functionArn, requestId, environment.id(), clock);
        AtomicBoolean abandoned = new AtomicBoolean();
        Future<Object> outcome;
        try {
            outcome = executor.submit(() -> run(environment, event, context, abandoned));
        } catch (RejectedExecutionException e) {
            concurrency.release();
            throw new IllegalStateException("Function " + functionName() + " is closed", e);
        }
        return await(outcome, requestId, abandoned);
    }

    private Object run(ExecutionEnvironment environment, Object event, InvocationContext context,
                       AtomicBoolean abandoned) {
        try {
            return environment.handler().handleRequest(event, context);
        } finally {
            // The permit is held until the handler really returns: a timed-out handler that ignores the interrupt
            // still occupies a slot, as its sandbox would until Lambda tears it down.
            if (!abandoned.get()) {
                idle.offerFirst(environment);
            }
            concurrency.release();
        }
    }

    private InvocationResult await(Future<Object> outcome, String requestId, AtomicBoolean abandoned)
            throws InterruptedException {
        long startedNanos = System.nanoTime();
        Duration timeout = configuration.timeout();
        try {
            Object payload = outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            log.atDebug().addKeyValue("function", functionName()).addKeyValue("requestId", requestId)
                    .addKeyValue("durationMs", (System.nanoTime() - startedNanos) / 1_000_000)
                    .log("REPORT");
            return new InvocationResult(requestId, payload);
        } catch (ExecutionException e) {
            Throwable error = e.getCause();
            log.atError().addKeyValue("function", functionName()).addKeyValue("requestId", requestId)
                    .setCause(error).log("Invocation failed");
            throw new FunctionErrorException(functionName(), requestId, error.getClass().getName(),
                    String.valueOf(error.getMessage()), error);
        } catch (TimeoutException e) {
            abandoned.set(true);
            outcome.cancel(true);
            String message = String.format(Locale.ROOT, "Task timed out after %.2f seconds",
                    timeout.toMillis() / 1000.0);
            log.atError().addKeyValue("function", functionName()).addKeyValue("requestId", requestId).log(message);
            throw new FunctionErrorException(functionName(), requestId, FunctionErrorException.TIMED_OUT, message, null);
        } catch (InterruptedException e) {
            abandoned.set(true);
            outcome.cancel(true);
            throw e;
        }
    }

    private ExecutionEnvironment warmOrNewEnvironment() {
        ExecutionEnvironment warm = idle.pollFirst();
        return warm != null ? warm : newEnvironment();
    }

    private ExecutionEnvironment newEnvironment() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return new ExecutionEnvironment(HexFormat.of().formatHex(id), handlerFactory.newHandler());
    }

    /** Interrupts running invocations and waits for their threads. */
    @Override
    public void close() {
        closed = true;
        Threads.shutdown(executor, "function " + functionName(), log);
        idle.clear();
    }

    /** One sandbox: its id (the log stream suffix) and the handler instance it initialised. */
    private record ExecutionEnvironment(String id, RequestHandler<Object, Object> handler) {
    }
}
