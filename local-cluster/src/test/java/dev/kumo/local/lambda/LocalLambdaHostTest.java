package dev.kumo.local.lambda;

import static dev.kumo.local.lambda.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalLambdaHostTest {

    private final LocalLambdaHost host = new LocalLambdaHost(AwsLocation.LOCAL, null, null);
    private final Probe probe = Probe.create();

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void handlerReceivesTheEnvironmentAndALambdaContext() throws Exception {
        probe.behaviour = (event, context) -> "echo:" + event;
        host.createFunction(probe.function("echo").withTimeout(Duration.ofSeconds(3)));

        InvocationResult first = host.invoke("echo", "hello");
        InvocationResult second = host.invoke("echo", "again");

        assertThat(first.payload()).isEqualTo("echo:hello");
        Context context = probe.invocations.getFirst().context();
        assertThat(context.getFunctionName()).isEqualTo("echo");
        assertThat(context.getFunctionVersion()).isEqualTo("$LATEST");
        assertThat(context.getInvokedFunctionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:echo");
        assertThat(context.getLogGroupName()).isEqualTo("/aws/lambda/echo");
        assertThat(context.getLogStreamName()).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST\\][0-9a-f]{32}");
        assertThat(context.getMemoryLimitInMB()).isEqualTo(FunctionConfiguration.DEFAULT_MEMORY_SIZE);
        assertThat(context.getRemainingTimeInMillis()).isBetween(1, 3000);
        assertThat(context.getAwsRequestId()).isEqualTo(first.requestId());
        assertThat(second.requestId()).isNotEqualTo(first.requestId());
        context.getLogger().log("written through slf4j");
    }

    @Test
    void aHandlerWithoutAnEnvironmentConstructorIsCreatedWithTheNoArgOne() throws Exception {
        host.createFunction(FunctionConfiguration.of("plain", NoArgHandler.class.getName()));

        assertThat(host.invoke("plain", 41).payload()).isEqualTo(42);
    }

    @Test
    void aHandlerThatCannotBeCreatedFailsCreateFunction() {
        assertThatThrownBy(() -> host.createFunction(FunctionConfiguration.of("missing", "no.such.Handler")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such.Handler");
        assertThatThrownBy(() -> host.createFunction(FunctionConfiguration.of("notHandler", String.class.getName())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RequestHandler");
    }

    @Test
    void aThrowingHandlerFailsTheInvocationWithItsRequestId() {
        probe.behaviour = (event, context) -> {
            throw new IllegalStateException("boom");
        };
        host.createFunction(probe.function("thrower"));

        assertThatThrownBy(() -> host.invoke("thrower", "x"))
                .isInstanceOfSatisfying(FunctionErrorException.class, e -> {
                    assertThat(e.functionName()).isEqualTo("thrower");
                    assertThat(e.requestId()).isEqualTo(probe.invocations.getFirst().context().getAwsRequestId());
                    assertThat(e.errorType()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(e.getCause()).hasMessage("boom");
                });
    }

    @Test
    void anInvocationPastItsTimeoutFailsAndIsInterrupted() {
        AtomicBoolean interrupted = new AtomicBoolean();
        probe.behaviour = (event, context) -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        };
        host.createFunction(probe.function("slow").withTimeout(Duration.ofMillis(200)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> host.invoke("slow", "x"))
                .isInstanceOfSatisfying(FunctionErrorException.class, e -> {
                    assertThat(e.errorType()).isEqualTo(FunctionErrorException.TIMED_OUT);
                    assertThat(e.getMessage()).contains("Task timed out after 0.20 seconds");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        eventually(() -> assertThat(interrupted).isTrue());
    }

    @Test
    void invocationsBeyondReservedConcurrencyAreThrottled() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        probe.behaviour = (event, context) -> {
            running.countDown();
            release.await();
            return "done";
        };
        host.createFunction(probe.function("single").withReservedConcurrentExecutions(1));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<InvocationResult> first = caller.submit(() -> host.invoke("single", "first"));
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> host.invoke("single", "second")).isInstanceOf(TooManyRequestsException.class);

            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).payload()).isEqualTo("done");
            assertThat(host.invoke("single", "third").payload()).isEqualTo("done");
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void eachConcurrentInvocationHasItsOwnHandlerAndWarmOnesAreReused() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        probe.behaviour = (event, context) -> {
            bothRunning.countDown();
            bothRunning.await(5, TimeUnit.SECONDS);
            return null;
        };
        host.createFunction(probe.function("pair").withReservedConcurrentExecutions(2));
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<InvocationResult> a = callers.submit(() -> host.invoke("pair", "a"));
            Future<InvocationResult> b = callers.submit(() -> host.invoke("pair", "b"));
            a.get(5, TimeUnit.SECONDS);
            b.get(5, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
        probe.behaviour = (event, context) -> null;
        host.invoke("pair", "c");

        var handlers = probe.invocations.stream().map(Probe.Invocation::handler).toList();
        assertThat(handlers.get(0)).isNotSameAs(handlers.get(1));
        assertThat(handlers.get(2)).isIn(handlers.get(0), handlers.get(1));
    }

    @Test
    void closeInterruptsInvocationsAndLeavesNoThreads() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        probe.behaviour = (event, context) -> {
            running.countDown();
            Thread.sleep(60_000);
            return null;
        };
        host.createFunction(probe.function("stuck"));
        Thread caller = new Thread(() -> {
            try {
                host.invoke("stuck", "x");
            } catch (InterruptedException | RuntimeException expected) {
                // The host is closing under the caller.
            }
        });
        caller.start();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        host.close();

        // A pool worker whose task ended may still be alive for a moment while it exits.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (liveThreadsNamed("lambda-stuck") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(liveThreadsNamed("lambda-stuck")).isZero();
        caller.join(5_000);
        assertThatThrownBy(() -> host.invoke("stuck", "y")).isInstanceOf(IllegalStateException.class);
    }

    static long liveThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    public static final class NoArgHandler implements RequestHandler<Integer, Integer> {
        @Override
        public Integer handleRequest(Integer input, Context context) {
            return input + 1;
        }
    }
}
