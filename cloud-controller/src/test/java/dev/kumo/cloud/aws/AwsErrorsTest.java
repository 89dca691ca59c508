package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;

import static org.assertj.core.api.Assertions.assertThat;

/** Which AWS errors a loop retries and which need a person. */
class AwsErrorsTest {
    @Test
    void throttlingCapacityAndDependenciesAreRetryable() {
        for (String code : new String[]{"RequestLimitExceeded", "InsufficientInstanceCapacity", "DependencyViolation",
                "ResourceInUse", "InternalError"}) {
            CloudException e = AwsErrors.map("RunInstances", "node pool general", ec2(code, 400));
            assertThat(e.retryable()).as(code).isTrue();
            assertThat(e.getMessage()).isEqualTo("RunInstances node pool general: " + code + ": it failed");
        }
        assertThat(AwsErrors.map("CreateLoadBalancer", "a1", elb("Throttling", 400)).retryable()).isTrue();
        assertThat(AwsErrors.map("DescribeInstances", "x", ec2("Whatever", 503)).retryable()).isTrue();
    }

    @Test
    void permissionsInvalidParametersAndQuotasAreNot() {
        for (String code : new String[]{"UnauthorizedOperation", "InvalidParameterValue", "InstanceLimitExceeded",
                "VcpuLimitExceeded", "IdempotentParameterMismatch", "IdempotentInstanceTerminated"}) {
            assertThat(AwsErrors.map("RunInstances", "p", ec2(code, 400)).retryable()).as(code).isFalse();
        }
        for (String code : new String[]{"TooManyLoadBalancers", "TooManyTargetGroups", "AccessDenied",
                "ValidationError"}) {
            assertThat(AwsErrors.map("CreateLoadBalancer", "a1", elb(code, 400)).retryable()).as(code).isFalse();
        }
    }

    @Test
    void noAnswerIsRetryable() {
        CloudException e = AwsErrors.map("RunInstances", "p", SdkClientException.create("Connection reset"));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("RunInstances p", "Connection reset");
    }

    private static Ec2Exception ec2(String code, int status) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("it failed").build()).build();
    }

    private static ElasticLoadBalancingV2Exception elb(String code, int status) {
        return (ElasticLoadBalancingV2Exception) ElasticLoadBalancingV2Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("it failed").build()).build();
    }
}
