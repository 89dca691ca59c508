package dev.kumo.infra.state;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableAttributes;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeySpec;
import software.amazon.awscdk.services.kms.KeyUsage;
import software.constructs.Construct;

/**
 * The cluster's state, etcd's role: the store's two tables (see apimachinery's {@code StoreTables}, whose schema
 * the local cluster creates) under a customer managed key, and the API server's keys ({@link ClusterKeys}). Everything here outlives the stack: deleting the stack
 * or replacing a table keeps the data, and point-in-time recovery restores the whole cluster state to any second
 * of the last 35 days.
 */
public final class StateStack extends Stack {
    /** Partition key of both tables: the resource. */
    static final String RESOURCE = "r";
    /** Sort key of the objects table: namespace/name. */
    static final String KEY = "k";
    /** Sort key of the log: the revision. */
    static final String REVISION = "rv";

    /** Outputs {@code ./kumo backup --aws} and {@code ./kumo restore --aws} read: the tables and their key. */
    public static final String OUTPUT_OBJECTS_TABLE = "ObjectsTable";
    public static final String OUTPUT_LOG_TABLE = "LogTable";
    public static final String OUTPUT_STORE_KEY = "StoreKeyArn";

    private final ClusterStore store;
    private final ClusterKeys keys;
    private final Table objects;
    private final Table log;

    public StateStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        getTemplateOptions().setDescription("kumo cluster state: the store's tables and their key");
        Key key = Key.Builder.create(this, "StoreKey")
                .description("Encrypts kumo's store: the objects and log tables, the log's stream, their backups")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.objects = table("Objects", key, Attribute.builder().name(KEY).type(AttributeType.STRING).build())
                .build();
        // The stream drives the control loops; new images carry everything a record maps to keys from.
        this.log = table("Log", key, Attribute.builder().name(REVISION).type(AttributeType.NUMBER).build())
                .stream(StreamViewType.NEW_IMAGE)
                .build();
        this.store = new ClusterStore(objects, log, key);
        CfnOutput.Builder.create(this, OUTPUT_OBJECTS_TABLE).value(objects.getTableName())
                .description("The objects table (point-in-time recovery: ./kumo restore --aws)").build();
        CfnOutput.Builder.create(this, OUTPUT_LOG_TABLE).value(log.getTableName())
                .description("The event log table (point-in-time recovery: ./kumo restore --aws)").build();
        CfnOutput.Builder.create(this, OUTPUT_STORE_KEY).value(key.getKeyArn())
                .description("The key of the tables, their stream and backups; restored tables use it too").build();
        this.keys = new ClusterKeys(
                Key.Builder.create(this, "SecretsKey")
                        .description("Wraps the data keys of kumo's Secrets, encrypted at rest by the API server")
                        .enableKeyRotation(true)
                        .removalPolicy(RemovalPolicy.RETAIN)
                        .build(),
                // Rotating would invalidate every token in use; a new key is a new kid (not automated yet).
                Key.Builder.create(this, "TokenSigningKey")
                        .description("Signs kumo's service-account and node tokens (RS256)")
                        .keySpec(KeySpec.RSA_2048)
                        .keyUsage(KeyUsage.SIGN_VERIFY)
                        .removalPolicy(RemovalPolicy.RETAIN)
                        .build());
    }

    public ClusterStore store() {
        return store;
    }

    /**
     * A store over tables restored from this stack's ({@code ./kumo restore --aws}) under the same key. Keeps
     * exporting what the control plane imported from the original tables: CloudFormation refuses to drop an export
     * while a stack still imports it, and the state stack is updated before the control plane.
     */
    public ClusterStore restoredStore(RestoredTables restored) {
        for (String kept : new String[] {objects.getTableName(), objects.getTableArn(), log.getTableName(),
                log.getTableArn(), log.getTableStreamArn()}) {
            exportValue(kept);
        }
        ITable restoredObjects = Table.fromTableAttributes(this, "RestoredObjects", TableAttributes.builder()
                .tableName(restored.objectsTable()).encryptionKey(store.key()).build());
        ITable restoredLog = Table.fromTableAttributes(this, "RestoredLog", TableAttributes.builder()
                .tableName(restored.logTable()).tableStreamArn(restored.logStreamArn()).encryptionKey(store.key())
                .build());
        return new ClusterStore(restoredObjects, restoredLog, store.key());
    }

    public ClusterKeys keys() {
        return keys;
    }

    private Table.Builder table(String id, Key key, Attribute sortKey) {
        return Table.Builder.create(this, id)
                .partitionKey(Attribute.builder().name(RESOURCE).type(AttributeType.STRING).build())
                .sortKey(sortKey)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN);
    }
}
