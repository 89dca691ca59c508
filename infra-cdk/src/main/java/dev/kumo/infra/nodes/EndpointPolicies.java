package dev.kumo.infra.nodes;

import software.amazon.awscdk.Fn;

import java.util.List;
import java.util.Map;

/**
 * The policies of the API subnets' VPC endpoints: a data perimeter, so that code running there (the API server
 * function, or whatever could take it over) can reach this account's tables and keys and verify IAM tokens, and
 * nothing else through them — no other account's table or key, no other STS action. An endpoint policy adds to IAM,
 * it does not replace it: the function's role still says which tables and keys it may use.
 *
 * <ul>
 *   <li>DynamoDB (gateway): every action, on this account's tables in this region (their indexes and streams are
 *       under {@code table/}).</li>
 *   <li>KMS: the four calls the function makes ({@code GenerateDataKey}/{@code Decrypt} for the secrets' data keys,
 *       {@code Sign}/{@code GetPublicKey} for tokens) on this account's keys in this region.</li>
 *   <li>STS: {@code GetCallerIdentity} only, by any principal: the authenticator sends the presigned request each
 *       IAM token carries, signed by the user's credentials, whichever account they are in.</li>
 * </ul>
 */
final class EndpointPolicies {
    static final List<String> KMS_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:GetPublicKey",
            "kms:Sign");

    private EndpointPolicies() {
    }

    static Map<String, Object> dynamoDb() {
        return allow(List.of("dynamodb:*"),
                Fn.sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*"));
    }

    /** The policy of the interface endpoint of {@code service} ({@link ApiServerNetwork#INTERFACE_SERVICES}). */
    static Map<String, Object> forInterface(String service) {
        return switch (service) {
            case "kms" -> allow(KMS_ACTIONS, Fn.sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"));
            case "sts" -> allow(List.of("sts:GetCallerIdentity"), "*");
            default -> throw new IllegalArgumentException("no endpoint policy for service " + service);
        };
    }

    private static Map<String, Object> allow(List<String> actions, String resource) {
        return Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                "Effect", "Allow", "Principal", "*", "Action", actions, "Resource", resource)));
    }
}
