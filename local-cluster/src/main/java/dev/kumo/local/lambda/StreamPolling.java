package dev.kumo.local.lambda;

import java.time.Duration;

/**
 * How the stream poller paces itself; not part of the mapping's API, since Lambda does not expose it.
 *
 * @param shardPollInterval  pause between GetRecords calls on a shard that returned nothing (Lambda polls each shard
 *                           about four times a second)
 * @param discoveryInterval  pause between DescribeStream rounds that look for new shards
 * @param describeStreamLimit shards per DescribeStream page
 * @param retryBackoff       pause before retrying a failed batch or a failed AWS call
 */
record StreamPolling(Duration shardPollInterval, Duration discoveryInterval, int describeStreamLimit,
                     RetryBackoff retryBackoff) {

    static final StreamPolling DEFAULT = new StreamPolling(Duration.ofMillis(250), Duration.ofSeconds(1), 100,
            RetryBackoff.DEFAULT);
}
