package dev.kumo.infra.ops;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryDescription;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kumo backup --aws}: the cluster's backup is DynamoDB's point-in-time recovery, on for both tables since
 * they were created (any second of the last 35 days); this says whether it is on and which window a restore may
 * pick from, and fails when it is off for a table.
 */
final class BackupCommand implements OpsMain.Command {
    @Override
    public String usage() {
        return "kumo backup --aws [--cluster NAME] [--region R]";
    }

    @Override
    public Set<String> options() {
        return Set.of("--cluster", "--region");
    }

    @Override
    public void run(OpsArgs args, Map<String, String> env, SdkHttpClient http, PrintStream out) throws IOException {
        String region = args.region(env);
        AwsCall aws = AwsCall.withDefaultCredentials(http, region, env);
        StateTables tables = StateTables.of(args.get("--cluster", "kumo"), aws);
        try (DynamoDbClient dynamo = StateTables.dynamoDb(http, aws)) {
            for (String table : List.of(tables.objects(), tables.log())) {
                PointInTimeRecoveryDescription pitr = dynamo.describeContinuousBackups(b -> b.tableName(table))
                        .continuousBackupsDescription().pointInTimeRecoveryDescription();
                if (pitr == null || !"ENABLED".equals(pitr.pointInTimeRecoveryStatusAsString())) {
                    throw new IOException("point-in-time recovery is not on for " + table
                            + ": turn it on (aws dynamodb update-continuous-backups) or redeploy the state stack");
                }
                out.printf("kumo: %s: point-in-time recovery on, restorable from %s to %s%n", table,
                        pitr.earliestRestorableDateTime(), pitr.latestRestorableDateTime());
            }
        }
        out.println("  restore with: ./kumo restore --aws --to <time within that window, e.g. 2026-11-24T02:00:00Z>");
    }
}
