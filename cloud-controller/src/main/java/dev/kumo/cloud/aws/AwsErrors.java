package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Set;

/**
 * EC2 and ELBv2 errors as {@link CloudException}s. Retryable: throttling, capacity, a dependency still in use or
 * being deleted, the service's own failures, and the network; everything else (permissions, invalid parameters,
 * quotas) needs a person. The AWS error code is in the message, for the Service's events and the logs.
 */
final class AwsErrors {
    /** Codes that a later attempt can get past without anyone acting. */
    private static final Set<String> RETRYABLE_CODES = Set.of(
            // EC2 capacity: another zone or a later try has room
            "InsufficientInstanceCapacity", "InsufficientHostCapacity", "InsufficientCapacity",
            "InsufficientFreeAddressesInSubnet",
            // something is still attached, being created or being deleted
            "DependencyViolation", "ResourceInUse", "IncorrectState", "IncorrectInstanceState",
            // the service itself
            "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable",
            // eventual consistency: an instance just launched is not yet visible to ELBv2 or a route
            "InvalidInstanceID.NotFound", "InvalidTarget");

    private AwsErrors() {
    }

    /**
     * The error of {@code action} (an API call) on {@code object} (what it was for: a node pool, a load balancer).
     */
    static CloudException map(String action, String object, SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = code(service);
            boolean retryable = service.isThrottlingException() || RETRYABLE_CODES.contains(code)
                    || service.statusCode() >= 500;
            String message = service.awsErrorDetails() == null ? service.getMessage()
                    : service.awsErrorDetails().errorMessage();
            return new CloudException(action + " " + object + ": " + code + ": " + message, retryable, e);
        }
        // No answer from the service (connection refused or reset, timeout): the call may or may not have happened;
        // the retry repeats it with the same client token or name.
        boolean network = e instanceof SdkClientException;
        return new CloudException(action + " " + object + ": " + e.getMessage(), network, e);
    }

    /** The AWS error code ({@code InvalidInstanceID.NotFound}, {@code LoadBalancerNotFound}...), or "". */
    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    static boolean hasCode(SdkException e, String code) {
        return e instanceof AwsServiceException service && code.equals(code(service));
    }
}
