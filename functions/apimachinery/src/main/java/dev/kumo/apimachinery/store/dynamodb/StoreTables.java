package dev.kumo.apimachinery.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import java.util.Map;

/**
 * The two tables of the store and their key schema. The CDK stack declares the same schema; the local cluster
 * and tests create the tables with {@link #createIfMissing}.
 *
 * <ul>
 *   <li><b>objects</b> (partition {@code r} = resource, sort {@code k} = namespace/name): the current state of
 *   every object. The same table holds each resource's revision counter (partition {@code ~rev/<resource>}) and
 *   the chunks of values too large for one item (partition {@code ~chunk/<resource>/<revision>}).</li>
 *   <li><b>log</b> (partition {@code r} = resource, sort {@code rv} = revision): one event per write, the watch
 *   source. Its stream (new images) drives the control loops.</li>
 * </ul>
 */
public record StoreTables(String objects, String log) {

    public static final String ENV_OBJECTS_TABLE = "KUMO_OBJECTS_TABLE";
    public static final String ENV_LOG_TABLE = "KUMO_LOG_TABLE";

    public static StoreTables fromEnvironment(Map<String, String> env) {
        return new StoreTables(env.getOrDefault(ENV_OBJECTS_TABLE, "kumo-objects"),
                env.getOrDefault(ENV_LOG_TABLE, "kumo-log"));
    }

    /** Creates both tables (on-demand billing, a new-image stream on the log) unless they exist. */
    public void createIfMissing(DynamoDbClient dynamo) {
        create(dynamo, CreateTableRequest.builder()
                .tableName(objects)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute(Attr.RESOURCE, ScalarAttributeType.S),
                        attribute(Attr.KEY, ScalarAttributeType.S))
                .keySchema(key(Attr.RESOURCE, KeyType.HASH), key(Attr.KEY, KeyType.RANGE))
                .build());
        create(dynamo, CreateTableRequest.builder()
                .tableName(log)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute(Attr.RESOURCE, ScalarAttributeType.S),
                        attribute(Attr.REVISION, ScalarAttributeType.N))
                .keySchema(key(Attr.RESOURCE, KeyType.HASH), key(Attr.REVISION, KeyType.RANGE))
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build())
                .build());
    }

    private static void create(DynamoDbClient dynamo, CreateTableRequest request) {
        try {
            dynamo.createTable(request);
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(request.tableName()));
        } catch (ResourceInUseException alreadyThere) {
            // Created by an earlier start: the schema is fixed, nothing to do.
        }
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
