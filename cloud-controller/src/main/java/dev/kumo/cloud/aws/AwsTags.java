package dev.kumo.cloud.aws;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags that tie AWS resources to a cluster. {@code kubernetes.io/cluster/<name>=owned} is the tag
 * cloud-provider-aws and the AWS load balancer controller read ("owned": deleting the cluster deletes it);
 * {@code kumo:cluster} is the one this provider filters on.
 */
final class AwsTags {
    static final String CLUSTER = "kumo:cluster";
    static final String NODE_POOL = "kumo:node-pool";
    /** The launch's idempotency token, so that a retry finds its instance by tag as well as by EC2's token. */
    static final String CLIENT_TOKEN = "kumo:client-token";
    /** The Service (namespace/name) of a load balancer and its target groups, as cloud-provider-aws tags it. */
    static final String SERVICE = "kubernetes.io/service-name";
    static final String OWNED = "owned";

    private AwsTags() {
    }

    static String clusterOwnership(String cluster) {
        return "kubernetes.io/cluster/" + cluster;
    }

    /** The cluster's tags, which everything the provider creates carries. */
    static Map<String, String> cluster(String cluster) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(CLUSTER, cluster);
        tags.put(clusterOwnership(cluster), OWNED);
        return tags;
    }

    /** The EC2 filter name that matches a tag's value. */
    static String filter(String tag) {
        return "tag:" + tag;
    }
}
