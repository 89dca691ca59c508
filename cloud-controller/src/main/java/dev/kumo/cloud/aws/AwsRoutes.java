package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.Route;
import dev.kumo.cloud.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pod CIDR routes in the cluster's VPC route table ({@value AwsCloudConfig#ENV_ROUTE_TABLE_ID}), as
 * cloud-provider-aws' route controller keeps them: a route per node's {@code spec.podCIDR} whose target is the node's
 * instance.
 *
 * <p>{@link #create} also turns the instance's source/destination check off, as cloud-provider-aws' {@code CreateRoute}
 * does: the node forwards packets addressed to its pods, whose addresses are not its own, and EC2 drops those at an
 * instance whose check is on. It belongs here rather than in the launch template because a launch template cannot
 * turn the check off (only {@code ModifyInstanceAttribute} or the network interface's attribute can), and because it
 * is needed exactly where a route points at the instance.
 */
public final class AwsRoutes implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(AwsRoutes.class);

    private final Ec2Client ec2;
    private final AwsCloudConfig config;

    public AwsRoutes(Ec2Client ec2, AwsCloudConfig config) {
        this.ec2 = ec2;
        this.config = config;
    }

    /**
     * The table's routes whose target is one of the cluster's instances, in any state: a route to a terminated
     * instance is listed too (its node name empty when EC2 no longer tells it), so that the route controller deletes
     * it, as cloud-provider-aws lists blackhole routes for it to delete. A blackhole route whose instance EC2 has
     * forgotten is listed with an empty node name and the instance's provider ID without a zone.
     */
    @Override
    public List<Route> list() throws CloudException {
        List<software.amazon.awssdk.services.ec2.model.Route> tableRoutes = table().routes().stream()
                .filter(r -> r.instanceId() != null && r.destinationCidrBlock() != null).toList();
        if (tableRoutes.isEmpty()) {
            return List.of();
        }
        Map<String, software.amazon.awssdk.services.ec2.model.Instance> byId = clusterInstances(
                tableRoutes.stream().map(r -> r.instanceId()).distinct().toList());
        List<Route> routes = new ArrayList<>();
        for (software.amazon.awssdk.services.ec2.model.Route route : tableRoutes) {
            var instance = byId.get(route.instanceId());
            if (instance != null) {
                Instance mapped = Ec2InstanceMapper.map(instance);
                routes.add(new Route(mapped.nodeName() == null ? "" : mapped.nodeName(), mapped.providerId(),
                        route.destinationCidrBlock()));
            } else if ("blackhole".equals(route.stateAsString())) {
                routes.add(new Route("", AwsProviderIds.of("", route.instanceId()), route.destinationCidrBlock()));
            }
        }
        return routes;
    }

    @Override
    public void create(Route route) throws CloudException {
        String tableId = tableId();
        String instanceId = AwsProviderIds.instanceId(route.providerId());
        try {
            ec2.modifyInstanceAttribute(r -> r.instanceId(instanceId).sourceDestCheck(b -> b.value(false)));
        } catch (SdkException e) {
            throw AwsErrors.map("ModifyInstanceAttribute", instanceId + " (source/dest check off)", e);
        }
        try {
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock(route.destinationCidr())
                    .instanceId(instanceId));
            LOG.atInfo().setMessage("created route").addKeyValue("node", route.nodeName())
                    .addKeyValue("cidr", route.destinationCidr()).addKeyValue("instance", instanceId)
                    .addKeyValue("routeTable", tableId).log();
        } catch (SdkException e) {
            if (!AwsErrors.hasCode(e, "RouteAlreadyExists")) {
                throw AwsErrors.map("CreateRoute", route.destinationCidr() + " → " + instanceId, e);
            }
            replaceIfElsewhere(route, tableId, instanceId);
        }
    }

    @Override
    public void delete(Route route) throws CloudException {
        String tableId = tableId();
        try {
            ec2.deleteRoute(r -> r.routeTableId(tableId).destinationCidrBlock(route.destinationCidr()));
            LOG.atInfo().setMessage("deleted route").addKeyValue("node", route.nodeName())
                    .addKeyValue("cidr", route.destinationCidr()).addKeyValue("routeTable", tableId).log();
        } catch (SdkException e) {
            if (!AwsErrors.hasCode(e, "InvalidRoute.NotFound")) {
                throw AwsErrors.map("DeleteRoute", route.destinationCidr(), e);
            }
        }
    }

    /**
     * The CIDR has a route already: the same target is success (a retry); another target (a node that held the
     * CIDR before, or a blackhole left by its terminated instance) is replaced, since the CIDR is this node's now.
     */
    private void replaceIfElsewhere(Route route, String tableId, String instanceId) throws CloudException {
        Optional<software.amazon.awssdk.services.ec2.model.Route> existing = table().routes().stream()
                .filter(r -> route.destinationCidr().equals(r.destinationCidrBlock())).findFirst();
        if (existing.isPresent() && instanceId.equals(existing.get().instanceId())
                && !"blackhole".equals(existing.get().stateAsString())) {
            return;
        }
        try {
            ec2.replaceRoute(r -> r.routeTableId(tableId).destinationCidrBlock(route.destinationCidr())
                    .instanceId(instanceId));
            LOG.atInfo().setMessage("replaced route").addKeyValue("node", route.nodeName())
                    .addKeyValue("cidr", route.destinationCidr()).addKeyValue("instance", instanceId)
                    .addKeyValue("previousInstance", existing.map(r -> r.instanceId()).orElse(null)).log();
        } catch (SdkException e) {
            throw AwsErrors.map("ReplaceRoute", route.destinationCidr() + " → " + instanceId, e);
        }
    }

    /** Those of the instances that are the cluster's, terminated ones included (EC2 shows them for a while). */
    private Map<String, software.amazon.awssdk.services.ec2.model.Instance> clusterInstances(List<String> ids)
            throws CloudException {
        Map<String, software.amazon.awssdk.services.ec2.model.Instance> byId = new HashMap<>();
        try {
            ec2.describeInstancesPaginator(r -> r.filters(
                            Filter.builder().name(AwsTags.filter(AwsTags.CLUSTER)).values(config.cluster()).build(),
                            Filter.builder().name("instance-id").values(ids).build()))
                    .reservations().forEach(res -> res.instances().forEach(i -> byId.put(i.instanceId(), i)));
        } catch (SdkException e) {
            throw AwsErrors.map("DescribeInstances", "route targets of " + config.routeTableId(), e);
        }
        return byId;
    }

    private RouteTable table() throws CloudException {
        String tableId = tableId();
        try {
            return ec2.describeRouteTables(r -> r.routeTableIds(tableId)).routeTables().stream().findFirst()
                    .orElseThrow(() -> new CloudException("route table " + tableId + " ("
                            + AwsCloudConfig.ENV_ROUTE_TABLE_ID + ") does not exist", false));
        } catch (SdkException e) {
            throw AwsErrors.map("DescribeRouteTables", tableId, e);
        }
    }

    private String tableId() throws CloudException {
        return AwsCloudConfig.required(config.routeTableId(), AwsCloudConfig.ENV_ROUTE_TABLE_ID);
    }
}
