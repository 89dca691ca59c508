package dev.kumo.local.lambda;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Reads one shard with GetRecords, following NextShardIterator until the shard ends. */
final class ShardReader {

    private static final Logger log = LoggerFactory.getLogger(ShardReader.class);
    /** The most GetRecords returns per call. */
    static final int GET_RECORDS_LIMIT = 1000;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String shardId;
    private final String functionName;
    private ShardIteratorType initialPosition;
    private String shardIterator;
    private String lastSequenceNumber;
    private boolean ended;

    ShardReader(DynamoDbStreamsClient streams, String streamArn, String shardId, ShardIteratorType initialPosition,
                String functionName) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.shardId = shardId;
        this.initialPosition = initialPosition;
        this.functionName = functionName;
    }

    /** Obtains the first ShardIterator now, so that LATEST means "from the moment the mapping started". */
    void open() {
        if (shardIterator == null && !ended) {
            shardIterator = newIterator();
        }
    }

    /** The next records of the shard; empty when none are there yet. Sets {@link #ended()} at the shard's end. */
    List<Record> read() {
        open();
        if (shardIterator == null) {
            // GetShardIterator gave none: nothing is left to read in this shard.
            ended = true;
            return List.of();
        }
        GetRecordsResponse response;
        try {
            String iterator = shardIterator;
            response = streams.getRecords(b -> b.shardIterator(iterator).limit(GET_RECORDS_LIMIT));
        } catch (ExpiredIteratorException e) {
            log.atInfo().addKeyValue("function", functionName).addKeyValue("shardId", shardId)
                    .log("ShardIterator expired; obtaining a new one after the last record read");
            shardIterator = null;
            return List.of();
        } catch (TrimmedDataAccessException e) {
            log.atWarn().addKeyValue("function", functionName).addKeyValue("shardId", shardId)
                    .addKeyValue("lastSequenceNumber", lastSequenceNumber)
                    .log("Records past the last one read were trimmed; continuing from TRIM_HORIZON");
            lastSequenceNumber = null;
            initialPosition = ShardIteratorType.TRIM_HORIZON;
            shardIterator = null;
            return List.of();
        }
        List<Record> records = response.records();
        if (!records.isEmpty()) {
            lastSequenceNumber = records.getLast().dynamodb().sequenceNumber();
        }
        shardIterator = response.nextShardIterator();
        // No next iterator: the shard is closed and every record in it has been returned.
        ended = shardIterator == null;
        return records;
    }

    boolean ended() {
        return ended;
    }

    String shardId() {
        return shardId;
    }

    private String newIterator() {
        if (lastSequenceNumber != null) {
            return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .sequenceNumber(lastSequenceNumber)).shardIterator();
        }
        return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(initialPosition)).shardIterator();
    }
}
