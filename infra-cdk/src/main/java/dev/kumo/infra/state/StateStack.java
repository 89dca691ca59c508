package dev.kumo.infra.state;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
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

    private final ClusterStore store;
    private final ClusterKeys keys;

    public StateStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        getTemplateOptions().setDescription("kumo cluster state: the store's tables and their key");
        Key key = Key.Builder.create(this, "StoreKey")
                .description("Encrypts kumo's store: the objects and log tables, the log's stream, their backups")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Table objects = table("Objects", key, Attribute.builder().name(KEY).type(AttributeType.STRING).build())
                .build();
        // The stream drives the control loops; new images carry everything a record maps to keys from.
        Table log = table("Log", key, Attribute.builder().name(REVISION).type(AttributeType.NUMBER).build())
                .stream(StreamViewType.NEW_IMAGE)
                .build();
        this.store = new ClusterStore(objects, log, key);
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
