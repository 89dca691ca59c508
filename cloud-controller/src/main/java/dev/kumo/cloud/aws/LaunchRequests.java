package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.InstanceRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The EC2 requests of a launch, built from an {@link InstanceRequest}. A retry of the same request must build the very
 * same {@code RunInstances} (EC2 answers {@code IdempotentParameterMismatch} to a token reused with other
 * parameters), so nothing here depends on a clock, a random number or the order of a map.
 */
final class LaunchRequests {
    /** EC2 takes client tokens of up to 64 ASCII characters. */
    static final int MAX_CLIENT_TOKEN = 64;
    /** States of an instance that still holds its token's promise (a terminated one cannot be given back). */
    static final List<String> LIVE_STATES = List.of("pending", "running", "stopping", "stopped");

    private final AwsCloudConfig config;

    LaunchRequests(AwsCloudConfig config) {
        this.config = config;
    }

    RunInstancesRequest runInstances(InstanceRequest request) throws CloudException {
        String template = AwsCloudConfig.required(config.launchTemplate(), AwsCloudConfig.ENV_LAUNCH_TEMPLATE);
        LaunchTemplateSpecification.Builder spec = LaunchTemplateSpecification.builder()
                .version(config.launchTemplateVersion());
        if (template.startsWith("lt-")) {
            spec.launchTemplateId(template);
        } else {
            spec.launchTemplateName(template);
        }
        List<Tag> tags = tags(request).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
        return RunInstancesRequest.builder()
                .launchTemplate(spec.build())
                .instanceType(request.instanceType())
                .subnetId(subnet(request))
                .minCount(1)
                .maxCount(1)
                .clientToken(clientToken(config.cluster(), request.clientToken()))
                .tagSpecifications(
                        TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build())
                .build();
    }

    /** The filters that find the live instance an earlier launch with this token made. */
    List<Filter> byToken(InstanceRequest request) {
        return List.of(
                Filter.builder().name(AwsTags.filter(AwsTags.CLUSTER)).values(config.cluster()).build(),
                Filter.builder().name(AwsTags.filter(AwsTags.CLIENT_TOKEN)).values(request.clientToken()).build(),
                Filter.builder().name("instance-state-name").values(LIVE_STATES).build());
    }

    /** The request's own tags, then the cluster's, the pool's and the token's, which win over a request tag. */
    Map<String, String> tags(InstanceRequest request) {
        Map<String, String> tags = new LinkedHashMap<>(new TreeMap<>(request.tags()));
        tags.putAll(AwsTags.cluster(config.cluster()));
        tags.put(AwsTags.NODE_POOL, request.nodePool());
        tags.put(AwsTags.CLIENT_TOKEN, request.clientToken());
        return tags;
    }

    /**
     * The subnet of the request's zone; without a zone, one chosen by the token, so that a retry lands in the same
     * subnet (and EC2 sees the same parameters) while a pool's instances spread over the zones.
     */
    String subnet(InstanceRequest request) throws CloudException {
        List<String> zones = config.zones();
        if (zones.isEmpty()) {
            throw AwsCloudConfig.missing(AwsCloudConfig.ENV_NODE_SUBNETS);
        }
        String zone = request.zone();
        if (zone == null || zone.isBlank()) {
            zone = zones.get(Math.floorMod(request.clientToken().hashCode(), zones.size()));
        }
        String subnet = config.nodeSubnets().get(zone);
        if (subnet == null) {
            throw new CloudException("node pool " + request.nodePool() + " asks for zone " + zone + ", which has no "
                    + "subnet in " + AwsCloudConfig.ENV_NODE_SUBNETS + " (zones: " + zones + ")", false);
        }
        return subnet;
    }

    /**
     * EC2's token for a need: the cluster's name and the request's token, since EC2 keeps tokens per account and
     * region and two clusters in one account may well name their pools alike. Used as is when EC2 takes it (at most
     * {@value #MAX_CLIENT_TOKEN} ASCII characters), else its SHA-256 in hex (64 characters): still one per need.
     */
    static String clientToken(String cluster, String token) {
        String scoped = cluster + "/" + token;
        if (scoped.length() <= MAX_CLIENT_TOKEN && StandardCharsets.US_ASCII.newEncoder().canEncode(scoped)) {
            return scoped;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(scoped.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
