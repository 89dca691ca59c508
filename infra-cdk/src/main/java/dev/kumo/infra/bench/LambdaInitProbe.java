package dev.kumo.infra.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs in a fresh JVM on a Lambda jar's class path, as Lambda's Java runtime starts a function: loads the handler
 * class, builds it from the function's environment (what Lambda's init phase runs), then invokes it once with an
 * event that needs no AWS call (an empty SQS batch or stream batch, {@code GET /version}); prints one line of
 * figures. Handlers whose every invocation calls AWS (compaction, the tick) are only built. With the event
 * {@code http-primed}, the API handler also runs its SnapStart priming after its constructor (counted in init).
 */
public final class LambdaInitProbe {
    /** An event suffix: the handler runs its SnapStart priming after its constructor, before the first call. */
    static final String PRIMED = "-primed";

    private LambdaInitProbe() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        String className = args[0];
        Map<String, String> env = read(Path.of(args[1]));
        String event = args[2];
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long start = System.nanoTime();
        Object handler = Class.forName(className).getConstructor(Map.class).newInstance(env);
        if (event.endsWith(PRIMED)) {
            // what Lambda runs before it snapshots a SnapStart version: the handler's CRaC beforeCheckpoint
            Object priming = handler.getClass().getMethod("snapStartPriming").invoke(handler);
            Class.forName("org.crac.Resource").getMethod("beforeCheckpoint", Class.forName("org.crac.Context"))
                    .invoke(priming, (Object) null);
            event = event.substring(0, event.length() - PRIMED.length());
        }
        long built = System.nanoTime();
        Object input = switch (event) {
            case "sqs" -> {
                SQSEvent sqs = new SQSEvent();
                sqs.setRecords(List.of());
                yield sqs;
            }
            case "dynamodb" -> {
                DynamodbEvent stream = new DynamodbEvent();
                stream.setRecords(List.of());
                yield stream;
            }
            case "http" -> APIGatewayV2HTTPEvent.builder().withRawPath("/version").withRawQueryString("")
                    .withHeaders(Map.of("accept", "application/json"))
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET")
                                    .withPath("/version").build()).build())
                    .build();
            default -> null;
        };
        long invoked = built;
        if (input != null) {
            ((RequestHandler) handler).handleRequest(input, null);
            invoked = System.nanoTime();
        }
        Runtime runtime = Runtime.getRuntime();
        System.out.printf("init_ms=%.0f invoke_ms=%.0f jvm_to_built_ms=%d heap_mb=%.1f classes=%d%n",
                (built - start) / 1e6, (invoked - built) / 1e6, System.currentTimeMillis() - jvmStart
                        - (invoked - built) / 1_000_000,
                (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0,
                ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    }

    private static Map<String, String> read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        Map<String, String> env = new HashMap<>();
        properties.forEach((k, v) -> env.put((String) k, (String) v));
        return env;
    }
}
