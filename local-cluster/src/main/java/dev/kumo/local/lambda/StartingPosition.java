package dev.kumo.local.lambda;

/** Where a stream event source mapping starts reading when it is created. */
public enum StartingPosition {
    /** The oldest record still in each shard. */
    TRIM_HORIZON,
    /** Only records written after the mapping starts. */
    LATEST
}
