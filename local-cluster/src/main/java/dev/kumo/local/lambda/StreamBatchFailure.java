package dev.kumo.local.lambda;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The record Lambda sends to a stream mapping's on-failure destination when it gives up on a batch, field for field.
 * It describes the batch (shard and sequence number range) rather than carrying the records: a consumer reads them
 * from the stream with GetShardIterator AT_SEQUENCE_NUMBER while they are retained.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StreamBatchFailure(
        RequestContext requestContext,
        ResponseContext responseContext,
        String version,
        String timestamp,
        @JsonProperty("DDBStreamBatchInfo") DdbStreamBatchInfo ddbStreamBatchInfo) {

    static final String RETRY_ATTEMPTS_EXHAUSTED = "RetryAttemptsExhausted";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RequestContext(String requestId, String functionArn, String condition, int approximateInvokeCount) {
    }

    /** {@code functionError} is "Unhandled" when the handler failed, absent when it reported batch item failures. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ResponseContext(int statusCode, String executedVersion, String functionError) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DdbStreamBatchInfo(String shardId, String startSequenceNumber, String endSequenceNumber,
                              String approximateArrivalOfFirstRecord, String approximateArrivalOfLastRecord,
                              int batchSize, String streamArn) {
    }
}
