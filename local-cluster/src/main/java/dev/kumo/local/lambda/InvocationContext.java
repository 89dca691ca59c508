package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@link Context} of one invocation: what the Java runtime hands to {@code handleRequest}. */
final class InvocationContext implements Context {

    static final String FUNCTION_VERSION = "$LATEST";
    private static final DateTimeFormatter LOG_STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final FunctionConfiguration function;
    private final String functionArn;
    private final String requestId;
    private final String logStreamName;
    private final Instant deadline;
    private final Clock clock;
    private final LambdaLogger logger;

    InvocationContext(FunctionConfiguration function, String functionArn, String requestId, String environmentId,
                      Clock clock) {
        this.function = function;
        this.functionArn = functionArn;
        this.requestId = requestId;
        this.clock = clock;
        this.deadline = clock.instant().plus(function.timeout());
        this.logStreamName = LocalDate.now(clock.withZone(ZoneOffset.UTC)).format(LOG_STREAM_DATE)
                + "/[" + FUNCTION_VERSION + "]" + environmentId;
        this.logger = new Slf4jLambdaLogger(function.functionName(), requestId);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + function.functionName();
    }

    @Override
    public String getLogStreamName() {
        return logStreamName;
    }

    @Override
    public String getFunctionName() {
        return function.functionName();
    }

    @Override
    public String getFunctionVersion() {
        return FUNCTION_VERSION;
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long remaining = deadline.toEpochMilli() - clock.millis();
        return (int) Math.max(0, remaining);
    }

    @Override
    public int getMemoryLimitInMB() {
        return function.memorySize();
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
