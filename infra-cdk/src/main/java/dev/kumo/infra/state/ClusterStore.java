package dev.kumo.infra.state;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;

import java.util.List;
import java.util.Map;

/**
 * The store's tables as a function uses them: their names in the function's environment and the least privilege
 * that reading and writing them takes. {@link StateStack} makes it; stacks whose functions use the store take it
 * in their props.
 *
 * @param objects the current objects (partition {@code r}, sort {@code k})
 * @param log     the event log (partition {@code r}, sort {@code rv}) with a new-image stream
 * @param key     the customer managed key both tables are encrypted with
 */
public record ClusterStore(ITable objects, ITable log, IKey key) {
    /** Read by apimachinery's {@code StoreTables.fromEnvironment}; the tests hold the two names equal. */
    public static final String ENV_OBJECTS_TABLE = "KUMO_OBJECTS_TABLE";
    public static final String ENV_LOG_TABLE = "KUMO_LOG_TABLE";

    /**
     * Every call {@code DynamoStore} makes, and nothing else: no Scan, no stream reads (a watch queries the log
     * table), no table management. {@code ConditionCheckItem} is what a transaction's condition-only item needs.
     */
    public static final List<String> DATA_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
            "dynamodb:TransactWriteItems", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem");

    /**
     * What DynamoDB asks of the caller on a table under a customer managed key (the set CDK's own
     * {@code grantReadWriteData} grants), usable only through DynamoDB in the stack's region.
     */
    public static final List<String> KEY_ACTIONS = List.of(
            "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*");

    /** The variables that name the tables to the store. */
    public Map<String, String> environment() {
        return Map.of(ENV_OBJECTS_TABLE, objects.getTableName(), ENV_LOG_TABLE, log.getTableName());
    }

    /** What reading the log's stream takes (the actions Lambda's poller calls), on that stream only. */
    public static final List<String> STREAM_ACTIONS = List.of(
            "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams");

    /**
     * Lets the grantee read the log's stream and the chunks of values too large for one item (a Query on the
     * objects table), with the table key's Decrypt through DynamoDB; no other item access, no writes.
     */
    public void grantLogStreamRead(IGrantable grantee) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(STREAM_ACTIONS)
                .resources(List.of(log.getTableStreamArn()))
                .build());
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:Query"))
                .resources(List.of(objects.getTableArn()))
                .build());
        grantee.getGrantPrincipal().addToPrincipalPolicy(viaDynamoDb(List.of("kms:Decrypt", "kms:DescribeKey")));
    }

    /** Lets the grantee read and write items of both tables, and nothing more. */
    public void grantReadWrite(IGrantable grantee) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(DATA_ACTIONS)
                .resources(List.of(objects.getTableArn(), log.getTableArn()))
                .build());
        grantee.getGrantPrincipal().addToPrincipalPolicy(viaDynamoDb(KEY_ACTIONS));
    }

    /** The key's {@code actions}, usable only through DynamoDB (tables and streams) in the stack's region. */
    private PolicyStatement viaDynamoDb(List<String> actions) {
        return PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "dynamodb." + Aws.REGION + ".amazonaws.com")))
                .build();
    }
}
