package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One poller of an SQS mapping: long-polls a batch, invokes the function, deletes the messages that succeeded. A
 * message that failed stays in the queue and comes back once its visibility timeout ends; the queue's RedrivePolicy
 * moves it to a dead-letter queue after maxReceiveCount receives.
 */
final class SqsPoller implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SqsPoller.class);

    private final SqsMapping mapping;
    private final LocalFunction function;
    private final SqsClient sqs;
    private final SqsMessageConverter converter;
    private final RetryBackoff backoff;
    private final AtomicBoolean running;
    private int consecutiveErrors;
    private int consecutiveThrottles;

    SqsPoller(SqsMapping mapping, LocalFunction function, SqsClient sqs, SqsMessageConverter converter,
              RetryBackoff backoff, AtomicBoolean running) {
        this.mapping = mapping;
        this.function = function;
        this.sqs = sqs;
        this.converter = converter;
        this.backoff = backoff;
        this.running = running;
    }

    @Override
    public void run() {
        try {
            while (running.get() && !Thread.currentThread().isInterrupted()) {
                try {
                    pollOnce();
                    consecutiveErrors = 0;
                } catch (SdkException e) {
                    if (!running.get()) {
                        return;
                    }
                    consecutiveErrors++;
                    log.atWarn().addKeyValue("function", function.functionName())
                            .addKeyValue("queueUrl", mapping.queueUrl())
                            .log("SQS call failed; retrying: {}", e.getMessage());
                    Threads.sleep(backoff.delay(consecutiveErrors));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.atError().addKeyValue("function", function.functionName()).addKeyValue("queueUrl", mapping.queueUrl())
                    .setCause(e).log("SQS poller stopped by an unexpected error");
        }
    }

    private void pollOnce() throws InterruptedException {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(mapping.queueUrl())
                .maxNumberOfMessages(mapping.batchSize())
                .waitTimeSeconds((int) mapping.receiveWaitTime().toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
        if (messages.isEmpty()) {
            return;
        }
        InvocationResult result;
        try {
            result = function.invoke(converter.toEvent(messages));
        } catch (TooManyRequestsException e) {
            // As in Lambda, throttled messages are not deleted: they return after the visibility timeout.
            consecutiveThrottles++;
            log.atWarn().addKeyValue("function", function.functionName()).addKeyValue("queueUrl", mapping.queueUrl())
                    .addKeyValue("batchSize", messages.size())
                    .log("Throttled; messages return to the queue after their visibility timeout");
            Threads.sleep(backoff.delay(consecutiveThrottles));
            return;
        } catch (FunctionErrorException e) {
            consecutiveThrottles = 0;
            log.atWarn().addKeyValue("function", function.functionName()).addKeyValue("queueUrl", mapping.queueUrl())
                    .addKeyValue("requestId", e.requestId()).addKeyValue("batchSize", messages.size())
                    .log("Batch failed; messages return to the queue after their visibility timeout");
            return;
        }
        consecutiveThrottles = 0;
        delete(succeeded(messages, result));
    }

    private List<Message> succeeded(List<Message> messages, InvocationResult result) {
        if (!mapping.reportBatchItemFailures()) {
            return messages;
        }
        Set<String> ids = new LinkedHashSet<>(messages.stream().map(Message::messageId).toList());
        List<String> reported = result.payload() instanceof SQSBatchResponse response
                ? BatchItemFailures.identifiers(response.getBatchItemFailures(),
                        SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                : null;
        return switch (BatchItemFailures.judge(reported, ids)) {
            case BatchItemFailures.AllSucceeded ignored -> messages;
            case BatchItemFailures.SomeFailed failed -> {
                log.atInfo().addKeyValue("function", function.functionName())
                        .addKeyValue("queueUrl", mapping.queueUrl()).addKeyValue("requestId", result.requestId())
                        .addKeyValue("batchSize", messages.size())
                        .addKeyValue("failed", failed.itemIdentifiers().size())
                        .log("Partial batch failure; failed messages return after their visibility timeout");
                yield messages.stream().filter(m -> !failed.itemIdentifiers().contains(m.messageId())).toList();
            }
            case BatchItemFailures.Invalid invalid -> {
                log.atWarn().addKeyValue("function", function.functionName())
                        .addKeyValue("queueUrl", mapping.queueUrl()).addKeyValue("requestId", result.requestId())
                        .log("Treating the whole batch as failed: {}", invalid.reason());
                yield List.of();
            }
        };
    }

    private void delete(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        List<BatchResultErrorEntry> failed = sqs.deleteMessageBatch(b -> b.queueUrl(mapping.queueUrl())
                .entries(entries)).failed();
        for (BatchResultErrorEntry error : failed) {
            Message message = messages.get(Integer.parseInt(error.id()));
            log.atWarn().addKeyValue("function", function.functionName()).addKeyValue("queueUrl", mapping.queueUrl())
                    .addKeyValue("messageId", message.messageId()).addKeyValue("code", error.code())
                    .log("DeleteMessage failed; the message will be delivered again: {}", error.message());
        }
    }
}
