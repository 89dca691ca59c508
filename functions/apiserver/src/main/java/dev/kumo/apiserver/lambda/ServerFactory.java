package dev.kumo.apiserver.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.aws.AwsClients;
import dev.kumo.apimachinery.client.RootCaBundle;
import dev.kumo.apimachinery.store.dynamodb.ConsumedCapacityMeter;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.apiserver.ApiServer;
import dev.kumo.apiserver.registry.ServiceCidr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the API server from a function's environment. In AWS the SDK finds region and credentials itself;
 * locally {@code KUMO_DYNAMODB_ENDPOINT} points at DynamoDB Local.
 */
public final class ServerFactory {
    public static final String ENV_DYNAMODB_ENDPOINT = AwsClients.ENV_DYNAMODB_ENDPOINT;
    public static final String ENV_WATCH_POLL_MILLIS = "KUMO_WATCH_POLL_MILLIS";
    public static final String ENV_ROOT_CA_FILE = RootCaBundle.ENV_FILE;
    public static final String ENV_ROOT_CA_FROM_JVM = RootCaBundle.ENV_FROM_JVM;
    /**
     * Whether each request's caller is counted with its DynamoDB calls ({@link #CAPACITY}'s breakdown): for the
     * benchmarks' cost report, off by default so that the request path in AWS does no bookkeeping nobody reads.
     */
    public static final String ENV_MEASURE_CALLERS = "KUMO_MEASURE_CALLERS";
    /** DynamoDB capacity consumed by this process, for cost figures (benchmarks, logs). */
    public static final ConsumedCapacityMeter CAPACITY = new ConsumedCapacityMeter();

    private ServerFactory() {
    }

    public static ApiServer create(Map<String, String> env) {
        ObjectMapper mapper = new ObjectMapper();
        DynamoStore store = store(env, mapper);
        ApiServer server = new ApiServer(store, mapper, Clock.systemUTC(),
                ServiceCidr.parse(env.getOrDefault(ServiceCidr.ENV, "10.96.0.0/12")),
                SecurityFactory.create(env, store), RootCaBundle.fromEnvironment(env));
        if (Boolean.parseBoolean(env.get(ENV_MEASURE_CALLERS))) {
            server.measureRequests(CAPACITY.breakdown());
        }
        return server;
    }

    /** The store on the DynamoDB tables the environment names, encrypting what {@link StorageEncryption} says. */
    public static DynamoStore store(Map<String, String> env, ObjectMapper mapper) {
        DynamoDbClientBuilder builder = AwsClients.dynamoBuilder(env)
                .overrideConfiguration(c -> c.addExecutionInterceptor(CAPACITY));
        DynamoStore.Options defaults = DynamoStore.Options.defaults();
        DynamoStore.Options options = new DynamoStore.Options(defaults.gapTimeout(),
                Duration.ofMillis(Long.parseLong(env.getOrDefault(ENV_WATCH_POLL_MILLIS, "500"))), Clock.systemUTC());
        return new DynamoStore(builder.build(), StoreTables.fromEnvironment(env), mapper, options,
                StorageEncryption.fromEnvironment(env));
    }
}
