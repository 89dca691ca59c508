package dev.kumo.local.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** An SQS queue that receives the records of batches a mapping gave up on. */
final class OnFailureDestination {

    private static final Logger log = LoggerFactory.getLogger(OnFailureDestination.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SEND_ATTEMPTS = 5;

    private final SqsClient sqs;
    private final String queueUrl;
    private final RetryBackoff backoff;

    OnFailureDestination(SqsClient sqs, String queueUrl, RetryBackoff backoff) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.backoff = backoff;
    }

    /**
     * Sends the record, retrying a failed SendMessage a few times. If the queue stays unreachable the record is
     * logged in full at error level, so what was discarded can still be found.
     */
    void send(StreamBatchFailure failure, String functionName) throws InterruptedException {
        String body = toJson(failure);
        for (int attempt = 1; ; attempt++) {
            try {
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
                return;
            } catch (SdkException e) {
                if (attempt >= SEND_ATTEMPTS) {
                    log.atError().addKeyValue("function", functionName).addKeyValue("destination", queueUrl)
                            .addKeyValue("record", body).setCause(e)
                            .log("Could not send a discarded batch to the on-failure destination");
                    return;
                }
                log.atWarn().addKeyValue("function", functionName).addKeyValue("destination", queueUrl)
                        .addKeyValue("attempt", attempt).log("SendMessage to the on-failure destination failed: {}",
                                e.getMessage());
                Threads.sleep(backoff.delay(attempt));
            }
        }
    }

    static String toJson(StreamBatchFailure failure) {
        try {
            return JSON.writeValueAsString(failure);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + failure, e);
        }
    }
}
