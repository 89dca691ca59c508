package dev.kumo.local.lambda;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What CreateFunction is told about a function, reduced to what the local host honours.
 *
 * @param functionName                 the function's name, also used in ARNs and log fields
 * @param handler                      fully qualified class name of a {@code RequestHandler}; a constructor taking
 *                                     {@code Map<String,String>} receives {@code environment}, else the no-arg one is used
 * @param environment                  what Lambda would expose as environment variables
 * @param reservedConcurrentExecutions how many invocations may run at once; one handler instance exists per
 *                                     concurrent invocation, as one execution environment does in AWS
 * @param timeout                      how long an invocation may run before it fails with "Task timed out"
 * @param memorySize                   reported by {@code Context.getMemoryLimitInMB()} only
 */
public record FunctionConfiguration(
        String functionName,
        String handler,
        Map<String, String> environment,
        int reservedConcurrentExecutions,
        Duration timeout,
        int memorySize) {

    public static final int DEFAULT_RESERVED_CONCURRENT_EXECUTIONS = 10;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MEMORY_SIZE = 512;
    /** Lambda's own ceiling on a function timeout. */
    static final Duration MAXIMUM_TIMEOUT = Duration.ofMinutes(15);

    public FunctionConfiguration {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(handler, "handler");
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(timeout, "timeout");
        if (!functionName.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("Invalid function name: " + functionName);
        }
        if (reservedConcurrentExecutions < 1) {
            throw new IllegalArgumentException("reservedConcurrentExecutions must be at least 1: " + reservedConcurrentExecutions);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAXIMUM_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be within (0, 15 minutes]: " + timeout);
        }
    }

    /** A function with no environment and the defaults above. */
    public static FunctionConfiguration of(String functionName, String handler) {
        return new FunctionConfiguration(functionName, handler, Map.of(), DEFAULT_RESERVED_CONCURRENT_EXECUTIONS,
                DEFAULT_TIMEOUT, DEFAULT_MEMORY_SIZE);
    }

    public FunctionConfiguration withEnvironment(Map<String, String> variables) {
        return new FunctionConfiguration(functionName, handler, variables, reservedConcurrentExecutions, timeout, memorySize);
    }

    public FunctionConfiguration withReservedConcurrentExecutions(int executions) {
        return new FunctionConfiguration(functionName, handler, environment, executions, timeout, memorySize);
    }

    public FunctionConfiguration withTimeout(Duration newTimeout) {
        return new FunctionConfiguration(functionName, handler, environment, reservedConcurrentExecutions, newTimeout, memorySize);
    }
}
