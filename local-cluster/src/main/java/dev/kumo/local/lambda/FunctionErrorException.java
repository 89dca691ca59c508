package dev.kumo.local.lambda;

/**
 * An invocation that ended in what Invoke reports as {@code FunctionError: Unhandled}: the handler threw, its init
 * failed, or it ran past its timeout.
 */
public final class FunctionErrorException extends RuntimeException {

    /** The errorType Lambda reports when an invocation runs past the function's timeout. */
    public static final String TIMED_OUT = "Sandbox.Timedout";
    /** The errorType Lambda reports when the handler cannot be created. */
    public static final String INIT_ERROR = "Runtime.InitError";

    private final String functionName;
    private final String requestId;
    private final String errorType;

    FunctionErrorException(String functionName, String requestId, String errorType, String errorMessage,
                           Throwable cause) {
        super(functionName + " request " + requestId + " failed: " + errorType + ": " + errorMessage, cause);
        this.functionName = functionName;
        this.requestId = requestId;
        this.errorType = errorType;
    }

    public String functionName() {
        return functionName;
    }

    public String requestId() {
        return requestId;
    }

    /** The handler's exception class name, or {@link #TIMED_OUT} / {@link #INIT_ERROR}. */
    public String errorType() {
        return errorType;
    }
}
