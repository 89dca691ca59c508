package dev.kumo.infra.constructs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
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

    @BeforeAll
    static void synth() {
        Stack stack = new Stack(app(), "test");
        new ControlLoop(stack, "ReplicaSets", ControlLoopProps.builder().reconciler(reconciler().build()).build());
        template = Template.fromStack(stack);
        deadLetters = only(template, "AWS::SQS::Queue", Map.of("RedrivePolicy", Match.absent())).getKey();
        queue = only(template, "AWS::SQS::Queue", Map.of("RedrivePolicy", Match.anyValue())).getKey();
        alias = only(template, "AWS::Lambda::Alias", Map.of("Name", KumoFunction.ALIAS)).getKey();
    }

    @Test
    void failedKeysMoveToTheDeadLetterQueueAfterFiveDeliveries() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "RedrivePolicy", Map.of("deadLetterTargetArn", arn(deadLetters), "maxReceiveCount", 5),
                "VisibilityTimeout", 6 * 60,
                "SqsManagedSseEnabled", true));
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

    /** Requeue-after: the reconciler knows its queue and may send to it; it may not touch the dead letters. */
    @SuppressWarnings("unchecked")
    @Test
    void theReconcilerMaySendToItsOwnQueue() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of(ControlLoop.ENV_QUEUE_URL, ref(queue))))));
        Map<String, Object> policy = (Map<String, Object>) properties(
                only(template, "AWS::IAM::Policy", Map.of()).getValue()).get("PolicyDocument");
        List<Map<String, Object>> sqs = ((List<Map<String, Object>>) policy.get("Statement")).stream()
                .filter(s -> String.valueOf(s.get("Action")).contains("sqs:")).toList();
        assertThat(sqs).isNotEmpty().allSatisfy(s -> assertThat(s.get("Resource")).isEqualTo(arn(queue)));
        assertThat(sqs.stream().flatMap(s -> ((List<Object>) s.get("Action")).stream()))
                .contains("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage");
    }

    @Test
    void visibilityCoversSixTimeoutsAndTheBatchingWindow() {
        ControlLoopProps props = ControlLoopProps.builder()
                .reconciler(reconciler().timeout(Duration.seconds(20)).build())
                .batchSize(100)
                .maxBatchingWindow(Duration.seconds(5))
                .build();
        assertThat(ControlLoop.visibilityTimeout(props).toSeconds()).isEqualTo(125);
    }

    @Test
    void propsRejectWhatLambdaWould() {
        assertThatThrownBy(() -> ControlLoopProps.builder().reconciler(reconciler().build()).batchSize(100).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatchingWindow");
        assertThatThrownBy(() -> ControlLoopProps.builder().reconciler(reconciler().build()).maxConcurrency(1).build())
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
