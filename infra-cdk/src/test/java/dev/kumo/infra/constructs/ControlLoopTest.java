package dev.kumo.infra.constructs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.kumo.infra.Templates.app;
import static dev.kumo.infra.Templates.arn;
import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.properties;
import static dev.kumo.infra.Templates.ref;
import static dev.kumo.infra.Templates.standInJar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlLoopTest {
    @TempDir
    static Path dir;
    private static Template template;
    private static String queue;
    private static String deadLetters;
    private static String alias;
    private static String timerQueue;

    @BeforeAll
    static void synth() {
        Stack stack = new Stack(app(), "test");
        Queue timer = Queue.Builder.create(stack, "Timer").visibilityTimeout(Duration.seconds(30)).build();
        new ControlLoop(stack, "ReplicaSets", ControlLoopProps.builder().loop("replicaset").timer(timer)
                .reconciler(reconciler().build()).build());
        template = Template.fromStack(stack);
        deadLetters = only(template, "AWS::SQS::Queue", Map.of("RedrivePolicy", Match.absent(),
                "FifoQueue", true)).getKey();
        timerQueue = only(template, "AWS::SQS::Queue", Map.of("VisibilityTimeout", 30)).getKey();
        queue = only(template, "AWS::SQS::Queue", Map.of("RedrivePolicy", Match.anyValue())).getKey();
        alias = only(template, "AWS::Lambda::Alias", Map.of("Name", KumoFunction.ALIAS)).getKey();
    }

    @Test
    void failedKeysMoveToTheDeadLetterQueueAfterFiveDeliveries() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "RedrivePolicy", Map.of("deadLetterTargetArn", arn(deadLetters), "maxReceiveCount", 5),
                "VisibilityTimeout", 6 * 60,
                "SqsManagedSseEnabled", true));
    }

    /** One key at a time: the key is the message group; deduplication and throughput are per group. */
    @Test
    void theQueueIsAHighThroughputFifoQueue() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "FifoQueue", true,
                "ContentBasedDeduplication", false,
                "DeduplicationScope", "messageGroup",
                "FifoThroughputLimit", "perMessageGroupId",
                "RedrivePolicy", Match.anyValue()));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "MessageRetentionPeriod", 14 * 24 * 3600, "SqsManagedSseEnabled", true));
    }

    @Test
    void theQueueTriggersTheReconcilerAliasAndFailuresAreReportedPerKey() {
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", arn(queue),
                "FunctionName", aliasName(),
                "BatchSize", 10,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
    }

    /** The alias's qualified name, as CDK spells it: the function name out of the alias ARN, then ":live". */
    private static Map<String, Object> aliasName() {
        Map<String, Object> functionName = Map.of("Fn::Select", List.of(6, Map.of("Fn::Split", List.of(":", ref(alias)))));
        return Map.of("Fn::Join", List.of("", List.of(functionName, ":" + KumoFunction.ALIAS)));
    }

    @Test
    void aDeadLetterRaisesTheAlarm() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/SQS",
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName",
                        "Value", Map.of("Fn::GetAtt", List.of(deadLetters, "QueueName")))),
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "Threshold", 1,
                "EvaluationPeriods", 1,
                "TreatMissingData", "notBreaching"));
    }

    /**
     * The reconciler knows its loop, its queue (resync keys go there) and the timer queue (requeue after), may send
     * to both, and may not touch the dead letters.
     */
    @SuppressWarnings("unchecked")
    @Test
    void theReconcilerMaySendToItsOwnQueueAndTheTimer() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of(ControlLoop.ENV_LOOP, "replicaset",
                        ControlLoop.ENV_LOOP_QUEUES, Map.of("Fn::Join", List.of("", List.of("replicaset=",
                                ref(queue)))),
                        ControlLoop.ENV_TIMER_QUEUE, ref(timerQueue))))));
        Map<String, Object> policy = (Map<String, Object>) properties(
                only(template, "AWS::IAM::Policy", Map.of()).getValue()).get("PolicyDocument");
        List<Map<String, Object>> sqs = ((List<Map<String, Object>>) policy.get("Statement")).stream()
                .filter(s -> String.valueOf(s.get("Action")).contains("sqs:")).toList();
        List<Object> resources = sqs.stream().flatMap(s -> s.get("Resource") instanceof List<?> list
                ? ((List<Object>) list).stream() : java.util.stream.Stream.of(s.get("Resource"))).toList();
        assertThat(resources).isNotEmpty().allSatisfy(r -> assertThat(r).isIn(arn(queue), arn(timerQueue)))
                .contains(arn(timerQueue));
        assertThat(sqs.stream().flatMap(s -> ((List<Object>) s.get("Action")).stream()))
                .contains("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage");
    }

    @Test
    void visibilityCoversSixTimeouts() {
        ControlLoopProps props = ControlLoopProps.builder().loop("replicaset")
                .reconciler(reconciler().timeout(Duration.seconds(20)).build())
                .build();
        assertThat(ControlLoop.visibilityTimeout(props).toSeconds()).isEqualTo(120);
    }

    @Test
    void propsRejectWhatLambdaWould() {
        assertThatThrownBy(() -> ControlLoopProps.builder().loop("replicaset").reconciler(reconciler().build())
                .batchSize(100).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FIFO");
        assertThatThrownBy(() -> ControlLoopProps.builder().loop("replicaset").reconciler(reconciler().build())
                .maxConcurrency(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrency");
    }

    private static KumoFunctionProps.Builder reconciler() {
        return KumoFunctionProps.builder()
                .handler("dev.kumo.controllers.Example::handleRequest")
                .code(Code.fromAsset(standInJar(dir).toString()))
                .timeout(Duration.minutes(1))
                .snapStart(true);
    }
}
