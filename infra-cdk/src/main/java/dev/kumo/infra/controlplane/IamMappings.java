package dev.kumo.infra.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The API server's built-in IAM mappings ({@code KUMO_IAM_MAPPINGS}, entries in the format of EKS's
 * {@code aws-auth} ConfigMap): the cluster's admins, like the creator EKS maps to {@code system:masters}. Further
 * users go into {@code kube-system/aws-auth} through the API.
 */
final class IamMappings {
    private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/.+");
    private static final Pattern USER = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:user/.+");

    private IamMappings() {
    }

    static String admins(List<String> arns) {
        ObjectMapper json = new ObjectMapper();
        ArrayNode mappings = json.createArrayNode();
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
            mappings.addObject().put(kind, arn).put("username", username).putArray("groups").add("system:masters");
        }
        return mappings.toString();
    }
}
