package dev.kumo.infra.controlplane;

import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the cloud controller's loops (provisioner, cloud node, service and route controllers) run with in AWS.
 *
 * @param code        the shaded Lambda jar of {@code cloud-controller} (the controllers' handlers and the cloud loops)
 * @param environment the aws provider's settings (launch template, subnets, route table), from the nodes stack
 * @param statements  the least-privilege EC2 and ELBv2 permissions of the cloud loops' roles, from the nodes stack
 */
public record CloudControllerProps(Code code, Map<String, String> environment, List<PolicyStatement> statements) {
    public CloudControllerProps {
        Objects.requireNonNull(code, "code");
        environment = Map.copyOf(environment);
        statements = List.copyOf(statements);
    }
}
