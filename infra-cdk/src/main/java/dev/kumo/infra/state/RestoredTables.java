package dev.kumo.infra.state;

import java.util.Objects;

/**
 * Tables restored from point-in-time recovery ({@code ./kumo restore --aws}) that the control plane uses instead of
 * the state stack's own: DynamoDB restores into new tables, outside CloudFormation.
 *
 * @param objectsTable the restored objects table's name
 * @param logTable     the restored log table's name
 * @param logStreamArn the restored log table's stream (a restore makes none; the command enables a new one)
 */
public record RestoredTables(String objectsTable, String logTable, String logStreamArn) {
    public RestoredTables {
        Objects.requireNonNull(objectsTable, "objectsTable");
        Objects.requireNonNull(logTable, "logTable");
        Objects.requireNonNull(logStreamArn, "logStreamArn");
    }
}
