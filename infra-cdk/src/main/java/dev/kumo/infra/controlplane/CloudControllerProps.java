package dev.kumo.infra.controlplane;

import dev.kumo.cloud.CloudPart;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the cloud controller's loops (provisioner, cloud node, service and route controllers) run with in AWS.
 *
 * @param code        the shaded Lambda jar of {@code cloud-controller} (the controllers' handlers and the cloud loops)
 * @param environment the aws provider's settings (launch template, subnets, route table), from the nodes stack
 * @param statements  the least-privilege EC2 and ELBv2 permissions of each cloud part, from the nodes stack; each
 *                    cloud loop's role gets those of its parts ({@link CloudLoopParts})
 */
public record CloudControllerProps(Code code, Map<String, String> environment,
                                   Map<CloudPart, List<PolicyStatement>> statements) {
    public CloudControllerProps {
        Objects.requireNonNull(code, "code");
        environment = Map.copyOf(environment);
        statements = Map.copyOf(statements);
        Set<CloudPart> missing = EnumSet.allOf(CloudPart.class);
        missing.removeAll(statements.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no statements for the cloud parts " + missing);
        }
    }

    /** The statements of one part. */
    public List<PolicyStatement> statements(CloudPart part) {
        return statements.get(part);
    }
}
