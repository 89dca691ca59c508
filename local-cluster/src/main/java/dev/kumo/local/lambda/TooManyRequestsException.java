package dev.kumo.local.lambda;

/** The throttle Lambda answers with (HTTP 429) when a function already runs its reserved concurrency. */
public final class TooManyRequestsException extends RuntimeException {

    private final String functionName;

    TooManyRequestsException(String functionName, int reservedConcurrentExecutions) {
        super("Rate Exceeded: " + functionName + " is running its " + reservedConcurrentExecutions
                + " reserved concurrent executions");
        this.functionName = functionName;
    }

    public String functionName() {
        return functionName;
    }
}
