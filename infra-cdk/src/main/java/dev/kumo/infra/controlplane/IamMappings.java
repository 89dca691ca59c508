package dev.kumo.infra.controlplane;

import software.amazon.awscdk.Stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API server's built-in IAM mappings ({@code KUMO_IAM_MAPPINGS}, entries in the format of EKS's
 * {@code aws-auth} ConfigMap): the cluster's admins, like the creator EKS maps to {@code system:masters}, and the
 * control loops' roles, each as its loop's user ({@code system:kube-scheduler}, {@code
 * system:kube-controller-manager}), as EKS's control plane components authenticate. Further users go into
 * {@code kube-system/aws-auth} through the API.
 */
final class IamMappings {
    private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/.+");
    private static final Pattern USER = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:user/.+");

    private IamMappings() {
    }

    /** The mappings as JSON; the loops' role ARNs are resolved by CloudFormation. */
    static String json(Stack stack, List<String> admins, List<ControlLoops.Identity> loops) {
        List<Map<String, Object>> mappings = new ArrayList<>(admins(admins));
        for (ControlLoops.Identity loop : loops) {
            // No groups: kube-scheduler's and kube-controller-manager's users are bound by name in the default
            // RBAC policy, as the local cluster's component tokens carry them.
            mappings.add(Map.of("rolearn", loop.role().getRoleArn(), "username", loop.user(), "groups", List.of()));
        }
        return stack.toJsonString(mappings);
    }

    static List<Map<String, Object>> admins(List<String> arns) {
        List<Map<String, Object>> mappings = new ArrayList<>();
        for (String arn : arns) {
            String kind;
            if (ROLE.matcher(arn).matches()) {
                kind = "rolearn";
            } else if (USER.matcher(arn).matches()) {
                kind = "userarn";
            } else {
                throw new IllegalArgumentException("an admin must be an IAM role or user ARN "
                        + "(arn:aws:iam::<account>:role/<name> or :user/<name>), not '" + arn + "'");
            }
            // A role's sessions are told apart by their session name; a user is the user.
            String username = kind.equals("rolearn") ? "kumo-admin:{{SessionName}}"
                    : "kumo-admin:" + arn.substring(arn.lastIndexOf('/') + 1);
            mappings.add(Map.of(kind, arn, "username", username, "groups", List.of("system:masters")));
        }
        return mappings;
    }
}
