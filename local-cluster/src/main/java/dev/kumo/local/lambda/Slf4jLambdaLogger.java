package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** What a handler writes to {@code context.getLogger()}, sent to slf4j with the function and request id attached. */
final class Slf4jLambdaLogger implements LambdaLogger {

    private final Logger log;
    private final String functionName;
    private final String requestId;

    Slf4jLambdaLogger(String functionName, String requestId) {
        this.log = LoggerFactory.getLogger("lambda." + functionName);
        this.functionName = functionName;
        this.requestId = requestId;
    }

    @Override
    public void log(String message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8), LogLevel.UNDEFINED);
    }

    @Override
    public void log(String message, LogLevel level) {
        log.atLevel(slf4jLevel(level))
                .addKeyValue("function", functionName)
                .addKeyValue("requestId", requestId)
                .log(message);
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        log(new String(message, StandardCharsets.UTF_8), level);
    }

    private static Level slf4jLevel(LogLevel level) {
        return switch (level) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case WARN -> Level.WARN;
            case ERROR, FATAL -> Level.ERROR;
            case INFO, UNDEFINED -> Level.INFO;
        };
    }
}
