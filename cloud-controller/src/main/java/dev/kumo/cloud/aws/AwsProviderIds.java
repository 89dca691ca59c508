package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Node's {@code spec.providerID} on AWS: {@code aws:///<zone>/<instance id>}, as cloud-provider-aws writes it. Read
 * as cloud-provider-aws reads it ({@code KubernetesInstanceID.MapToAWSInstanceID}): {@code aws:///<zone>/<id>},
 * {@code aws:////<id>} (zone left empty), or a bare instance id.
 */
final class AwsProviderIds {
    static final String SCHEME = "aws";
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-z]+");
    private static final Pattern PROVIDER_ID = Pattern.compile("aws://[^/]*/[^/]*/(i-[0-9a-z]+)");

    private AwsProviderIds() {
    }

    static String of(String zone, String instanceId) {
        return SCHEME + ":///" + zone + "/" + instanceId;
    }

    /** The instance id in a provider id; a provider id of another cloud is a non-retryable error. */
    static String instanceId(String providerId) throws CloudException {
        if (INSTANCE_ID.matcher(providerId).matches()) {
            return providerId;
        }
        Matcher m = PROVIDER_ID.matcher(providerId);
        if (m.matches()) {
            return m.group(1);
        }
        throw new CloudException("'" + providerId + "' is not an AWS provider ID (aws:///<zone>/i-...)", false);
    }
}
