package dev.kumo.infra.ops;

import dev.kumo.infra.DeploymentConfig;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.RestoreTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * {@code kumo restore --aws --to TIME}: restores both tables to {@code TIME} (DynamoDB's
 * {@code RestoreTableToPointInTime}, into new tables named {@code <table>-r<yyyyMMddHHmmss>} under the store's
 * key), then gives them what a restore leaves out (the log's stream, point-in-time recovery, deletion protection),
 * and writes the context that points the control plane at them into {@code --args-file}; the next
 * {@code ./kumo deploy} passes it. The old tables stay, untouched, until deleted by hand.
 */
final class RestoreCommand implements OpsMain.Command {
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    /** Restores of small tables take minutes; large ones longer. */
    private static final Duration RESTORE_DEADLINE = Duration.ofHours(2);
    private static final Duration POLL = Duration.ofSeconds(15);

    @Override
    public String usage() {
        return "kumo restore --aws --to TIME [--cluster NAME] [--region R]   (TIME: ISO-8601, e.g. 2026-11-24T02:00:00Z)";
    }

    @Override
    public Set<String> options() {
        return Set.of("--cluster", "--region", "--to", "--args-file");
    }

    @Override
    public void run(OpsArgs args, Map<String, String> env, SdkHttpClient http, PrintStream out) throws IOException {
        Instant to = parseTime(args.required("--to"));
        Path argsFile = Path.of(args.required("--args-file"));
        String region = args.region(env);
        AwsCall aws = AwsCall.withDefaultCredentials(http, region, env);
        StateTables tables = StateTables.of(args.get("--cluster", "kumo"), aws);
        String suffix = "-r" + SUFFIX.format(to);
        try (DynamoDbClient dynamo = StateTables.dynamoDb(http, aws)) {
            String objects = restore(dynamo, tables, tables.objects(), tables.objects() + suffix, to, out);
            String log = restore(dynamo, tables, tables.log(), tables.log() + suffix, to, out);
            TableDescription objectsTable = awaitActive(dynamo, objects, out);
            awaitActive(dynamo, log, out);
            // A restore brings items, keys and indexes back, not streams, PITR or deletion protection.
            dynamo.updateTable(b -> b.tableName(log).streamSpecification(s -> s.streamEnabled(true)
                    .streamViewType(StreamViewType.NEW_IMAGE)));
            TableDescription logTable = awaitActive(dynamo, log, out);
            for (String table : new String[] {objects, log}) {
                dynamo.updateContinuousBackups(b -> b.tableName(table)
                        .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
                dynamo.updateTable(b -> b.tableName(table).deletionProtectionEnabled(true));
                awaitActive(dynamo, table, out);
            }
            String context = "-c " + DeploymentConfig.OBJECTS_TABLE + "=" + objectsTable.tableName() + "\n"
                    + "-c " + DeploymentConfig.LOG_TABLE + "=" + logTable.tableName() + "\n"
                    + "-c " + DeploymentConfig.LOG_STREAM_ARN + "=" + logTable.latestStreamArn() + "\n";
            Files.createDirectories(argsFile.toAbsolutePath().getParent());
            Files.writeString(argsFile, context);
            out.println("kumo: restored " + tables.objects() + " → " + objects + " and " + tables.log() + " → " + log
                    + " as of " + to);
            out.println("  next: ./kumo deploy   (passes " + argsFile + ": the control plane switches to the restored"
                    + " tables; delete that file to switch back)");
        }
    }

    private static String restore(DynamoDbClient dynamo, StateTables tables, String source, String target, Instant to,
                                  PrintStream out) {
        out.println("kumo: restoring " + source + " as of " + to + " into " + target);
        dynamo.restoreTableToPointInTime(RestoreTableToPointInTimeRequest.builder()
                .sourceTableName(source)
                .targetTableName(target)
                .restoreDateTime(to)
                .billingModeOverride(BillingMode.PAY_PER_REQUEST)
                .sseSpecificationOverride(s -> s.enabled(true).sseType(SSEType.KMS).kmsMasterKeyId(tables.keyArn()))
                .build());
        return target;
    }

    private static TableDescription awaitActive(DynamoDbClient dynamo, String table, PrintStream out) throws IOException {
        Instant deadline = Instant.now().plus(RESTORE_DEADLINE);
        while (true) {
            TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
            if (description.tableStatus() == TableStatus.ACTIVE) {
                return description;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException(table + " is still " + description.tableStatusAsString() + " after "
                        + RESTORE_DEADLINE.toMinutes() + " minutes; run the command again later");
            }
            out.println("kumo: " + table + " is " + description.tableStatusAsString() + "; waiting");
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + table, e);
            }
        }
    }

    /** ISO-8601 with an offset ({@code 2026-11-24T02:00:00Z}); DynamoDB restores to the second. */
    static Instant parseTime(String value) {
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--to wants an ISO-8601 time with an offset, e.g. 2026-11-24T02:00:00Z,"
                    + " not '" + value + "'");
        }
    }
}
