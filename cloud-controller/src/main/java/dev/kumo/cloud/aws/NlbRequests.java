package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.LoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ELBv2 requests of a Service's network load balancer, built from a {@link LoadBalancerRequest}. Names are
 * deterministic (ELBv2 keeps them unique per region), so that a retry or a concurrent attempt finds what the other
 * created instead of making a second one.
 */
final class NlbRequests {
    /** The AWS load balancer controller's annotation: {@code internet-facing} (the default here) or {@code internal}. */
    static final String SCHEME_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-scheme";
    /** cloud-provider-aws' older annotation: any value but {@code false} makes the load balancer internal. */
    static final String INTERNAL_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-internal";
    /** ELBv2's limit on load balancer and target group names. */
    static final int MAX_NAME = 32;
    /** The load balancer's name as target groups start with it: 20 + "-udp-" + 5 digits fits in 32. */
    static final int TARGET_GROUP_PREFIX = 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");

    private final AwsCloudConfig config;

    NlbRequests(AwsCloudConfig config) {
        this.config = config;
    }

    CreateLoadBalancerRequest createLoadBalancer(LoadBalancerRequest request) throws CloudException {
        List<String> subnets = config.loadBalancerSubnets();
        if (subnets.isEmpty()) {
            throw AwsCloudConfig.missing(AwsCloudConfig.ENV_LB_SUBNETS);
        }
        return CreateLoadBalancerRequest.builder()
                .name(checkedName(request.name()))
                .type(LoadBalancerTypeEnum.NETWORK)
                .scheme(scheme(request))
                .subnets(subnets)
                .tags(tags(request))
                .build();
    }

    CreateTargetGroupRequest createTargetGroup(LoadBalancerRequest request, LoadBalancerRequest.Port port,
                                               String vpcId) throws CloudException {
        return CreateTargetGroupRequest.builder()
                .name(targetGroupName(request.name(), port))
                .protocol(protocol(port))
                .port(port.nodePort())
                .vpcId(vpcId)
                .targetType(TargetTypeEnum.INSTANCE)
                // kube-proxy answers on the NodePort of every node (externalTrafficPolicy Cluster): a TCP connect
                // there says the node forwards.
                .healthCheckProtocol(ProtocolEnum.TCP)
                .healthCheckPort(Integer.toString(port.nodePort()))
                .tags(tags(request))
                .build();
    }

    CreateListenerRequest createListener(LoadBalancerRequest request, String loadBalancerArn,
                                         LoadBalancerRequest.Port port, String targetGroupArn) throws CloudException {
        return CreateListenerRequest.builder()
                .loadBalancerArn(loadBalancerArn)
                .protocol(protocol(port))
                .port(port.port())
                .defaultActions(forward(targetGroupArn))
                .tags(tags(request))
                .build();
    }

    static Action forward(String targetGroupArn) {
        return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
    }

    /**
     * A port's target group: the load balancer's name cut to {@value #TARGET_GROUP_PREFIX}, the protocol and the
     * NodePort, e.g. {@code a1b2c3d4e5f6a7b8c9d0-tcp-30080}. A changed NodePort is a new target group (ELBv2 cannot
     * change a target group's port), and every target group of a load balancer starts with {@link #targetGroupPrefix}.
     */
    static String targetGroupName(String loadBalancerName, LoadBalancerRequest.Port port) {
        return targetGroupPrefix(loadBalancerName) + port.protocol().toLowerCase(Locale.ROOT) + "-" + port.nodePort();
    }

    static String targetGroupPrefix(String loadBalancerName) {
        return loadBalancerName.substring(0, Math.min(TARGET_GROUP_PREFIX, loadBalancerName.length())) + "-";
    }

    /** From the Service's annotations; internet-facing unless they say internal. */
    static LoadBalancerSchemeEnum scheme(LoadBalancerRequest request) throws CloudException {
        Map<String, String> annotations = request.annotations();
        String scheme = annotations.get(SCHEME_ANNOTATION);
        if (scheme == null) {
            String internal = annotations.get(INTERNAL_ANNOTATION);
            return internal != null && !internal.equalsIgnoreCase("false")
                    ? LoadBalancerSchemeEnum.INTERNAL : LoadBalancerSchemeEnum.INTERNET_FACING;
        }
        return switch (scheme.strip()) {
            case "internet-facing" -> LoadBalancerSchemeEnum.INTERNET_FACING;
            case "internal" -> LoadBalancerSchemeEnum.INTERNAL;
            default -> throw new CloudException("Service " + request.service() + ": annotation " + SCHEME_ANNOTATION
                    + " is '" + scheme + "'; it takes internet-facing or internal", false);
        };
    }

    static ProtocolEnum protocol(LoadBalancerRequest.Port port) throws CloudException {
        return switch (port.protocol()) {
            case "TCP" -> ProtocolEnum.TCP;
            case "UDP" -> ProtocolEnum.UDP;
            default -> throw new CloudException("port " + port.name() + ": protocol " + port.protocol()
                    + " is not supported by a network load balancer here (TCP, UDP)", false);
        };
    }

    static String checkedName(String name) throws CloudException {
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw new CloudException("'" + name + "' is not a load balancer name (at most " + MAX_NAME
                    + " letters, digits and inner hyphens; cloud-controller-manager's is \"a\" + the uid without "
                    + "dashes, cut to 32)", false);
        }
        return name;
    }

    private List<Tag> tags(LoadBalancerRequest request) {
        Map<String, String> tags = AwsTags.cluster(config.cluster());
        if (request.service() != null) {
            tags.put(AwsTags.SERVICE, request.service());
        }
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
