package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Turns SDK v2 stream records into the {@link DynamodbEvent} Lambda delivers. The events library has its own
 * AttributeValue and StreamRecord model, so every value is copied.
 */
final class DynamodbEventConverter {

    static final String EVENT_SOURCE = "aws:dynamodb";

    private final String eventSourceArn;
    private final String awsRegion;

    DynamodbEventConverter(String eventSourceArn, String awsRegion) {
        this.eventSourceArn = eventSourceArn;
        this.awsRegion = awsRegion;
    }

    DynamodbEvent toEvent(List<Record> records) {
        List<DynamodbStreamRecord> converted = new ArrayList<>(records.size());
        for (Record record : records) {
            converted.add(toStreamRecord(record));
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(converted);
        return event;
    }

    DynamodbStreamRecord toStreamRecord(Record record) {
        DynamodbStreamRecord converted = new DynamodbStreamRecord();
        converted.setEventID(record.eventID());
        converted.setEventName(record.eventNameAsString());
        converted.setEventVersion(record.eventVersion());
        // The stream's own record says where DynamoDB ran ("ddblocal" locally); Lambda reports the mapping's region.
        converted.setEventSource(EVENT_SOURCE);
        converted.setAwsRegion(awsRegion);
        converted.setEventSourceARN(eventSourceArn);
        converted.setDynamodb(toStreamRecord(record.dynamodb()));
        if (record.userIdentity() != null) {
            Identity identity = new Identity();
            identity.setPrincipalId(record.userIdentity().principalId());
            identity.setType(record.userIdentity().type());
            converted.setUserIdentity(identity);
        }
        return converted;
    }

    private static StreamRecord toStreamRecord(software.amazon.awssdk.services.dynamodb.model.StreamRecord source) {
        StreamRecord target = new StreamRecord();
        if (source.approximateCreationDateTime() != null) {
            target.setApproximateCreationDateTime(Date.from(source.approximateCreationDateTime()));
        }
        if (source.hasKeys()) {
            target.setKeys(toAttributeMap(source.keys()));
        }
        if (source.hasNewImage()) {
            target.setNewImage(toAttributeMap(source.newImage()));
        }
        if (source.hasOldImage()) {
            target.setOldImage(toAttributeMap(source.oldImage()));
        }
        target.setSequenceNumber(source.sequenceNumber());
        target.setSizeBytes(source.sizeBytes());
        if (source.streamViewTypeAsString() != null) {
            target.setStreamViewType(StreamViewType.fromValue(source.streamViewTypeAsString()));
        }
        return target;
    }

    static Map<String, AttributeValue> toAttributeMap(
            Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> source) {
        Map<String, AttributeValue> target = new LinkedHashMap<>();
        source.forEach((name, value) -> target.put(name, toAttributeValue(value)));
        return target;
    }

    static AttributeValue toAttributeValue(software.amazon.awssdk.services.dynamodb.model.AttributeValue source) {
        AttributeValue target = new AttributeValue();
        switch (source.type()) {
            case S -> target.setS(source.s());
            case N -> target.setN(source.n());
            case B -> target.setB(toByteBuffer(source.b()));
            case SS -> target.setSS(source.ss());
            case NS -> target.setNS(source.ns());
            case BS -> target.setBS(source.bs().stream().map(DynamodbEventConverter::toByteBuffer).toList());
            case M -> target.setM(toAttributeMap(source.m()));
            case L -> target.setL(source.l().stream().map(DynamodbEventConverter::toAttributeValue).toList());
            case BOOL -> target.setBOOL(source.bool());
            case NUL -> target.setNULL(source.nul());
            case UNKNOWN_TO_SDK_VERSION ->
                    throw new IllegalArgumentException("Attribute value of a type this SDK does not know: " + source);
        }
        return target;
    }

    private static ByteBuffer toByteBuffer(SdkBytes bytes) {
        return ByteBuffer.wrap(bytes.asByteArray());
    }
}
