package dev.kumo.infra.ops;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Argument handling and the answers' parsing, offline. {@link OpsAgainstMotoTest} makes the calls. */
class OpsCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void wrongUsageExitsTwoWithTheCommandsUsage() {
        assertThat(run(List.of("kubeconfig", "--bogus", "x"))).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option '--bogus'").contains("usage: kumo kubeconfig --aws");
        err.reset();
        assertThat(run(List.of("restore", "--to"))).isEqualTo(2);
        assertThat(err.toString()).contains("--to needs a value");
        err.reset();
        assertThat(run(List.of("restore", "--to", "yesterday", "--args-file", "/tmp/x", "--region", "eu-west-1")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--to wants an ISO-8601 time");
        err.reset();
        assertThat(run(List.of("backup"), Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("no region: pass --region or set AWS_REGION");
        err.reset();
        assertThat(run(List.of("launch"))).isEqualTo(2);
        assertThat(err.toString()).contains("unknown AWS command 'launch'");
    }

    @Test
    void regionComesFromTheOptionOrTheSdkEnvironment() {
        assertThat(new OpsArgs(List.of("--region=eu-north-1"), java.util.Set.of("--region")).region(Map.of()))
                .isEqualTo("eu-north-1");
        assertThat(new OpsArgs(List.of(), java.util.Set.of("--region")).region(Map.of("AWS_DEFAULT_REGION", "us-west-2")))
                .isEqualTo("us-west-2");
        assertThat(new OpsArgs(List.of(), java.util.Set.of("--region"))
                .region(Map.of("AWS_REGION", "ap-south-1", "AWS_DEFAULT_REGION", "us-west-2"))).isEqualTo("ap-south-1");
    }

    @Test
    void anAssumedRoleSessionIsAdministeredAsItsRole() {
        assertThat(CallerArnCommand.adminArn("arn:aws:sts::111122223333:assumed-role/Deployer/alice"))
                .isEqualTo("arn:aws:iam::111122223333:role/Deployer");
        assertThat(CallerArnCommand.adminArn("arn:aws:iam::111122223333:user/bob"))
                .isEqualTo("arn:aws:iam::111122223333:user/bob");
    }

    @Test
    void restoreTimesAndTokenLifetimesAreParsedStrictly() {
        assertThat(RestoreCommand.parseTime("2026-11-24T02:00:00Z")).isEqualTo(Instant.parse("2026-11-24T02:00:00Z"));
        assertThat(RestoreCommand.parseTime("2026-11-24T03:00:00+01:00")).isEqualTo(Instant.parse("2026-11-24T02:00:00Z"));
        assertThatThrownBy(() -> RestoreCommand.parseTime("2026-11-24 02:00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(NodeTokenCommand.parseTtl("24h")).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> NodeTokenCommand.parseTtl("0h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeTokenCommand.parseTtl("7d")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describeStacksOutputsAreReadFromCloudFormationsXml() throws Exception {
        String xml = """
                <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                  <DescribeStacksResult><Stacks><member>
                    <StackName>prod-control-plane</StackName>
                    <Outputs>
                      <member><OutputKey>ApiEndpoint</OutputKey><OutputValue>https://a1.execute-api.eu-west-1.amazonaws.com</OutputValue></member>
                      <member><Description>x</Description><OutputKey>Other</OutputKey><OutputValue>v</OutputValue></member>
                    </Outputs>
                    <Tags><member><Key>kumo:cluster</Key><Value>prod</Value></member></Tags>
                  </member></Stacks></DescribeStacksResult>
                </DescribeStacksResponse>""";
        Map<String, String> outputs = StackOutputs.parse(xml);
        assertThat(outputs).containsExactly(Map.entry("ApiEndpoint", "https://a1.execute-api.eu-west-1.amazonaws.com"),
                Map.entry("Other", "v"));
        assertThatThrownBy(() -> StackOutputs.require(outputs, "prod-control-plane", "LogTable"))
                .hasMessageContaining("has no output LogTable").hasMessageContaining("ApiEndpoint");
        assertThatThrownBy(() -> StackOutputs.parse("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"))
                .isInstanceOf(java.io.IOException.class);
    }

    private int run(List<String> args) {
        return run(args, Map.of("AWS_REGION", "eu-west-1"));
    }

    private int run(List<String> args, Map<String, String> env) {
        try (var http = UrlConnectionHttpClient.create()) {
            return OpsMain.run(args, env, http, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        }
    }
}
