package dev.kumo.local.lambda;

import java.util.Objects;

/** The account and region the local host pretends to run in; it shapes every ARN the host hands to handler code. */
public record AwsLocation(String region, String accountId) {

    /** What the local cluster uses unless told otherwise (DynamoDB Local's own account id, the SDK's default region). */
    public static final AwsLocation LOCAL = new AwsLocation("us-east-1", "000000000000");

    public AwsLocation {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
    }

    public String functionArn(String functionName) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
    }

    public String ruleArn(String ruleName) {
        return "arn:aws:events:" + region + ":" + accountId + ":rule/" + ruleName;
    }
}
