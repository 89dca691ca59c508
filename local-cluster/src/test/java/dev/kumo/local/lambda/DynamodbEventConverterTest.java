package dev.kumo.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** Every attribute type and record field, from the SDK's stream model to the events library's. */
class DynamodbEventConverterTest {

    private static final String STREAM_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/label";
    private final DynamodbEventConverter converter = new DynamodbEventConverter(STREAM_ARN, "eu-west-1");

    @Test
    void convertsEveryAttributeType() {
        var sdk = software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().m(Map.of(
                "s", av().s("text").build(),
                "n", av().n("42").build(),
                "b", av().b(bytes("raw")).build(),
                "ss", av().ss("x", "y").build(),
                "ns", av().ns("1", "2").build(),
                "bs", av().bs(bytes("p"), bytes("q")).build(),
                "l", av().l(av().s("in-list").build(), av().bool(false).build()).build(),
                "bool", av().bool(true).build(),
                "null", av().nul(true).build())).build();

        Map<String, AttributeValue> m = DynamodbEventConverter.toAttributeValue(sdk).getM();

        assertThat(m.get("s").getS()).isEqualTo("text");
        assertThat(m.get("n").getN()).isEqualTo("42");
        assertThat(text(m.get("b").getB())).isEqualTo("raw");
        assertThat(m.get("ss").getSS()).containsExactly("x", "y");
        assertThat(m.get("ns").getNS()).containsExactly("1", "2");
        assertThat(m.get("bs").getBS()).extracting(DynamodbEventConverterTest::text).containsExactly("p", "q");
        assertThat(m.get("l").getL()).extracting(AttributeValue::getS, AttributeValue::getBOOL)
                .containsExactly(tuple("in-list", null), tuple(null, false));
        assertThat(m.get("bool").getBOOL()).isTrue();
        assertThat(m.get("null").getNULL()).isTrue();
    }

    @Test
    void fillsTheRecordAsLambdaDoes() {
        Instant created = Instant.parse("2025-01-02T03:04:05Z");
        Record record = Record.builder().eventID("e-1").eventName(OperationType.REMOVE).eventVersion("1.1")
                .eventSource("aws:dynamodb").awsRegion("ddblocal")
                .userIdentity(Identity.builder().type("Service").principalId("dynamodb.amazonaws.com").build())
                .dynamodb(StreamRecord.builder().approximateCreationDateTime(created)
                        .keys(Map.of("pk", av().s("k").build()))
                        .oldImage(Map.of("pk", av().s("k").build(), "v", av().n("1").build()))
                        .sequenceNumber("000000000000000000042").sizeBytes(17L)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                .build();

        List<DynamodbStreamRecord> records = converter.toEvent(List.of(record)).getRecords();

        DynamodbStreamRecord converted = records.getFirst();
        assertThat(converted.getEventID()).isEqualTo("e-1");
        assertThat(converted.getEventName()).isEqualTo("REMOVE");
        assertThat(converted.getEventVersion()).isEqualTo("1.1");
        assertThat(converted.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(converted.getAwsRegion()).isEqualTo("eu-west-1");
        assertThat(converted.getEventSourceARN()).isEqualTo(STREAM_ARN);
        assertThat(converted.getUserIdentity().getType()).isEqualTo("Service");
        assertThat(converted.getUserIdentity().getPrincipalId()).isEqualTo("dynamodb.amazonaws.com");
        assertThat(converted.getDynamodb().getApproximateCreationDateTime()).isEqualTo(Date.from(created));
        assertThat(converted.getDynamodb().getKeys().get("pk").getS()).isEqualTo("k");
        assertThat(converted.getDynamodb().getOldImage().get("v").getN()).isEqualTo("1");
        assertThat(converted.getDynamodb().getNewImage()).isNull();
        assertThat(converted.getDynamodb().getSequenceNumber()).isEqualTo("000000000000000000042");
        assertThat(converted.getDynamodb().getSizeBytes()).isEqualTo(17L);
        assertThat(converted.getDynamodb().getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue.Builder av() {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder();
    }

    private static SdkBytes bytes(String text) {
        return SdkBytes.fromUtf8String(text);
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
