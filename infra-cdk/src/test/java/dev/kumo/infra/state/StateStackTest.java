package dev.kumo.infra.state;

import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.kumo.infra.Templates.app;
import static dev.kumo.infra.Templates.arn;
import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

class StateStackTest {
    private static Template template;

    @BeforeAll
    static void synth() {
        template = Template.fromStack(new StateStack(app(), "state", StackProps.builder().build()));
    }

    /** The local cluster creates the tables with StoreTables; AWS must get the same schema. */
    @Test
    void tablesHaveTheSchemaTheStoreCreatesLocally() {
        List<CreateTableRequest> local = createdLocally();
        assertThat(local).hasSize(2);
        template.resourceCountIs("AWS::DynamoDB::Table", 2);
        for (CreateTableRequest request : local) {
            List<Map<String, String>> keySchema = request.keySchema().stream()
                    .map(k -> Map.of("AttributeName", k.attributeName(), "KeyType", k.keyTypeAsString())).toList();
            Map<String, Object> table = properties(only(template, "AWS::DynamoDB::Table",
                    Map.of("KeySchema", keySchema)).getValue());

            assertThat(table.get("AttributeDefinitions")).asInstanceOf(LIST)
                    .containsExactlyInAnyOrderElementsOf(request.attributeDefinitions().stream()
                            .map(a -> Map.of("AttributeName", a.attributeName(), "AttributeType", a.attributeTypeAsString()))
                            .toList());
            assertThat(table.get("BillingMode")).isEqualTo(request.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
            Object stream = request.streamSpecification() == null ? null
                    : Map.of("StreamViewType", request.streamSpecification().streamViewTypeAsString());
            assertThat(table.get("StreamSpecification")).isEqualTo(stream);
        }
    }

    @Test
    void theLogStreamsNewImagesAndTheObjectsTableHasNoStream() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", "r", "KeyType", "HASH"),
                        Map.of("AttributeName", "rv", "KeyType", "RANGE")),
                "StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE")));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", "r", "KeyType", "HASH"),
                        Map.of("AttributeName", "k", "KeyType", "RANGE")),
                "StreamSpecification", Match.absent()));
    }

    @Test
    void everyTableIsRecoverableEncryptedWithTheClusterKeyAndOutlivesTheStack() {
        String key = only(template, "AWS::KMS::Key", Map.of("EnableKeyRotation", true,
                "Description", Match.stringLikeRegexp("store"))).getKey();
        Map<String, Map<String, Object>> tables = template.findResources("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(2);
        tables.forEach((id, table) -> {
            Map<String, Object> props = properties(table);
            assertThat(props.get("PointInTimeRecoverySpecification")).as(id)
                    .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
            assertThat(props.get("SSESpecification")).as(id)
                    .isEqualTo(Map.of("SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", arn(key)));
            assertThat(props.get("DeletionProtectionEnabled")).as(id).isEqualTo(true);
            assertThat(table).as(id).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
        });
        template.hasResource("AWS::KMS::Key", Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
    }

    /** What StoreTables.createIfMissing asks DynamoDB for, recorded by a client that only listens. */
    private static List<CreateTableRequest> createdLocally() {
        List<CreateTableRequest> requests = new ArrayList<>();
        ClassLoader loader = StateStackTest.class.getClassLoader();
        DynamoDbWaiter waiter = (DynamoDbWaiter) Proxy.newProxyInstance(loader, new Class<?>[] {DynamoDbWaiter.class},
                (proxy, method, args) -> null);
        DynamoDbClient client = (DynamoDbClient) Proxy.newProxyInstance(loader, new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "createTable" -> {
                        requests.add((CreateTableRequest) args[0]);
                        yield null;
                    }
                    case "waiter" -> waiter;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        new StoreTables("objects", "log").createIfMissing(client);
        return requests;
    }
}
