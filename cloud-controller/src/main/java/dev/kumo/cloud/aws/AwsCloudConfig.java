package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where the aws provider puts a cluster's machines, load balancers and routes, read from environment variables that
 * the CDK stack (issue 6) sets on the cloud controller's functions:
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Meaning</th><th>Example</th></tr>
 *   <tr><td>{@value #ENV_CLUSTER}</td><td>the cluster's name: tags {@code kumo:cluster=<name>} and
 *       {@code kubernetes.io/cluster/<name>=owned} on everything the provider creates; required</td>
 *       <td>{@code prod}</td></tr>
 *   <tr><td>{@value #ENV_LAUNCH_TEMPLATE}</td><td>the nodes' launch template: an id ({@code lt-...}) or a name</td>
 *       <td>{@code lt-0abc123}</td></tr>
 *   <tr><td>{@value #ENV_LAUNCH_TEMPLATE_VERSION}</td><td>its version: a number, {@code $Latest} or
 *       {@code $Default} (the default)</td><td>{@code 3}</td></tr>
 *   <tr><td>{@value #ENV_NODE_SUBNETS}</td><td>the nodes' subnet per availability zone, {@code zone=subnet}
 *       comma-separated</td><td>{@code eu-west-1a=subnet-1,eu-west-1b=subnet-2}</td></tr>
 *   <tr><td>{@value #ENV_ROUTE_TABLE_ID}</td><td>the VPC route table that carries the pod CIDR routes</td>
 *       <td>{@code rtb-0abc}</td></tr>
 *   <tr><td>{@value #ENV_LB_SUBNETS}</td><td>the subnets of the Services' network load balancers,
 *       comma-separated (public subnets for internet-facing ones)</td><td>{@code subnet-3,subnet-4}</td></tr>
 *   <tr><td>{@value #ENV_AWS_ENDPOINT}</td><td>one endpoint for EC2 and ELBv2 instead of the region's (tests: moto's
 *       server); takes any credentials</td><td>{@code http://127.0.0.1:5000}</td></tr>
 *   <tr><td>{@code AWS_REGION}</td><td>the region (Lambda sets it)</td><td>{@code eu-west-1}</td></tr>
 * </table>
 *
 * <p>Only the cluster is required: a variable a part needs but lacks fails that part's calls with a non-retryable
 * {@link CloudException} naming it (a cluster whose pods use VPC addresses has no route table).
 *
 * @param nodeSubnets          zone → subnet, sorted by zone
 * @param loadBalancerSubnets  in the order given
 */
public record AwsCloudConfig(String cluster, String launchTemplate, String launchTemplateVersion,
                             Map<String, String> nodeSubnets, String routeTableId, List<String> loadBalancerSubnets) {
    public static final String ENV_CLUSTER = "KUMO_CLUSTER";
    public static final String ENV_LAUNCH_TEMPLATE = "KUMO_LAUNCH_TEMPLATE_ID";
    public static final String ENV_LAUNCH_TEMPLATE_VERSION = "KUMO_LAUNCH_TEMPLATE_VERSION";
    public static final String ENV_NODE_SUBNETS = "KUMO_NODE_SUBNETS";
    public static final String ENV_ROUTE_TABLE_ID = "KUMO_ROUTE_TABLE_ID";
    public static final String ENV_LB_SUBNETS = "KUMO_LB_SUBNETS";
    public static final String ENV_AWS_ENDPOINT = "KUMO_AWS_ENDPOINT";
    static final String DEFAULT_LAUNCH_TEMPLATE_VERSION = "$Default";

    public AwsCloudConfig {
        Objects.requireNonNull(cluster, "cluster");
        if (cluster.isBlank()) {
            throw new IllegalArgumentException("the cluster name is empty");
        }
        launchTemplate = launchTemplate == null ? "" : launchTemplate;
        launchTemplateVersion = launchTemplateVersion == null || launchTemplateVersion.isBlank()
                ? DEFAULT_LAUNCH_TEMPLATE_VERSION : launchTemplateVersion;
        nodeSubnets = Map.copyOf(nodeSubnets);
        routeTableId = routeTableId == null ? "" : routeTableId;
        loadBalancerSubnets = List.copyOf(loadBalancerSubnets);
    }

    /** Reads the variables above; throws {@link IllegalArgumentException} naming a variable that is malformed. */
    public static AwsCloudConfig fromEnvironment(Map<String, String> env) {
        String cluster = value(env, ENV_CLUSTER);
        if (cluster.isEmpty()) {
            throw new IllegalArgumentException(ENV_CLUSTER + " is not set: the aws provider tags what it creates "
                    + "with the cluster's name");
        }
        return new AwsCloudConfig(cluster, value(env, ENV_LAUNCH_TEMPLATE), value(env, ENV_LAUNCH_TEMPLATE_VERSION),
                zoneSubnets(value(env, ENV_NODE_SUBNETS)), value(env, ENV_ROUTE_TABLE_ID),
                list(value(env, ENV_LB_SUBNETS)));
    }

    /** Zones in sorted order, so that a choice by index is the same in every invocation. */
    List<String> zones() {
        return List.copyOf(new TreeMap<>(nodeSubnets).keySet());
    }

    /** The value of a variable this part needs, or a non-retryable error naming it. */
    static String required(String value, String variable) throws CloudException {
        if (value.isEmpty()) {
            throw missing(variable);
        }
        return value;
    }

    static CloudException missing(String variable) {
        return new CloudException(variable + " is not set in the cloud controller's environment", false);
    }

    private static String value(Map<String, String> env, String name) {
        return env.getOrDefault(name, "").strip();
    }

    private static Map<String, String> zoneSubnets(String text) {
        Map<String, String> subnets = new LinkedHashMap<>();
        for (String entry : list(text)) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException(ENV_NODE_SUBNETS + ": '" + entry
                        + "' is not zone=subnet (e.g. eu-west-1a=subnet-0abc)");
            }
            String zone = entry.substring(0, eq).strip();
            if (subnets.put(zone, entry.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(ENV_NODE_SUBNETS + ": zone " + zone + " is given twice");
            }
        }
        return subnets;
    }

    private static List<String> list(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }
}
