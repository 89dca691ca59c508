package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Turns received SQS messages into the {@link SQSEvent} Lambda delivers. */
final class SqsMessageConverter {

    static final String EVENT_SOURCE = "aws:sqs";

    private final String queueArn;
    private final String awsRegion;

    SqsMessageConverter(String queueArn, String awsRegion) {
        this.queueArn = queueArn;
        this.awsRegion = awsRegion;
    }

    SQSEvent toEvent(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(messages.size());
        for (Message message : messages) {
            records.add(toRecord(message));
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    SQSEvent.SQSMessage toRecord(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        record.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, toAttribute(value)));
        record.setMessageAttributes(attributes);
        record.setEventSource(EVENT_SOURCE);
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(awsRegion);
        return record;
    }

    private static SQSEvent.MessageAttribute toAttribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        if (value.binaryValue() != null) {
            attribute.setBinaryValue(toByteBuffer(value.binaryValue()));
        }
        // Lambda's event carries both lists, empty when unused.
        attribute.setStringListValues(new ArrayList<>(value.stringListValues()));
        attribute.setBinaryListValues(value.binaryListValues().stream().map(SqsMessageConverter::toByteBuffer).toList());
        return attribute;
    }

    private static ByteBuffer toByteBuffer(SdkBytes bytes) {
        return ByteBuffer.wrap(bytes.asByteArray());
    }
}
