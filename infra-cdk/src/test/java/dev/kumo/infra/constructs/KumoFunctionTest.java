package dev.kumo.infra.constructs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.kumo.infra.Templates.app;
import static dev.kumo.infra.Templates.arn;
import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.ref;
import static dev.kumo.infra.Templates.standInJar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KumoFunctionTest {
    private static final String HANDLER = "dev.kumo.Example::handleRequest";

    @TempDir
    Path dir;

    @Test
    void withSnapStartTriggersInvokeTheLiveAliasOfThePublishedVersion() {
        Stack stack = new Stack(app(), "test");
        KumoFunction function = new KumoFunction(stack, "Example", props().snapStart(true).build());
        Template template = Template.fromStack(stack);

        assertThat(function.entryPoint()).isInstanceOf(Alias.class);
        String id = only(template, "AWS::Lambda::Function", Map.of(
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Runtime", "java21",
                "Architectures", List.of("arm64"))).getKey();
        String version = only(template, "AWS::Lambda::Version", Map.of("FunctionName", ref(id))).getKey();
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "Name", KumoFunction.ALIAS,
                "FunctionName", ref(id),
                "FunctionVersion", Map.of("Fn::GetAtt", List.of(version, "Version"))));
    }

    @Test
    void withoutSnapStartNoVersionIsPublishedAndTriggersInvokeTheFunction() {
        Stack stack = new Stack(app(), "test");
        KumoFunction function = new KumoFunction(stack, "Example", props().build());
        Template template = Template.fromStack(stack);

        assertThat(function.entryPoint()).isSameAs(function.function());
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("SnapStart", Match.absent()));
        template.resourceCountIs("AWS::Lambda::Version", 0);
        template.resourceCountIs("AWS::Lambda::Alias", 0);
    }

    /** No AWSLambdaBasicExecutionRole (logs:CreateLogGroup on *): only its own log group, kept as long as asked. */
    @Test
    void withoutGrantsTheRoleMayOnlyWriteItsOwnLogGroup() {
        Stack stack = new Stack(app(), "test");
        new KumoFunction(stack, "Example", props().build());
        Template template = Template.fromStack(stack);

        String group = only(template, "AWS::Logs::LogGroup", Map.of("RetentionInDays", 30)).getKey();
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("LoggingConfig", Map.of("LogGroup", ref(group))));
        template.hasResourceProperties("AWS::IAM::Role", Map.of("ManagedPolicyArns", Match.absent()));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", List.of(Map.of(
                "Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                "Effect", "Allow",
                "Resource", arn(group))))));
    }

    @Test
    void propsRejectWhatLambdaWould() {
        assertThatThrownBy(() -> props().handler("dev.kumo.Example").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class::method");
        assertThatThrownBy(() -> props().memoryMb(64).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memoryMb");
        assertThatThrownBy(() -> KumoFunctionProps.builder().handler(HANDLER).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("code");
    }

    private KumoFunctionProps.Builder props() {
        return KumoFunctionProps.builder().handler(HANDLER).code(Code.fromAsset(standInJar(dir).toString()));
    }
}
