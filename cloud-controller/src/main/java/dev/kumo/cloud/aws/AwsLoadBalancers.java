package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancerStatus;
import dev.kumo.cloud.LoadBalancers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A network load balancer per {@code type: LoadBalancer} Service: a target group per Service port (the NodePort on the
 * nodes' instances, health-checked by a TCP connect to it) and a listener per port forwarding to it.
 *
 * <p>Idempotent by name: {@link #ensure} looks the load balancer and target groups up by their deterministic names
 * before creating them, and a create that loses a race to a concurrent attempt ({@code DuplicateLoadBalancerName},
 * {@code DuplicateTargetGroupName}, {@code DuplicateListener}) takes what the other created. Changed ports replace
 * listeners and target groups; targets are registered and deregistered to match the request.
 */
public final class AwsLoadBalancers implements LoadBalancers {
    private static final Logger LOG = LoggerFactory.getLogger(AwsLoadBalancers.class);

    private final ElasticLoadBalancingV2Client elb;
    private final NlbRequests requests;

    public AwsLoadBalancers(ElasticLoadBalancingV2Client elb, AwsCloudConfig config) {
        this.elb = elb;
        this.requests = new NlbRequests(config);
    }

    @Override
    public LoadBalancerStatus ensure(LoadBalancerRequest request) throws CloudException {
        String name = NlbRequests.checkedName(request.name());
        LoadBalancer lb = loadBalancer(name).orElse(null);
        if (lb == null) {
            lb = create(request);
        }
        String scheme = NlbRequests.scheme(request).toString();
        if (!scheme.equals(lb.schemeAsString())) {
            throw new CloudException("load balancer " + name + " of Service " + request.service() + " is "
                    + lb.schemeAsString() + " and the Service asks for " + scheme + ": ELBv2 cannot change a scheme; "
                    + "delete the Service and create it again", false);
        }
        Map<String, TargetGroup> owned = targetGroups(name);
        Map<LoadBalancerRequest.Port, TargetGroup> wanted = new LinkedHashMap<>();
        for (LoadBalancerRequest.Port port : request.ports()) {
            TargetGroup group = owned.get(NlbRequests.targetGroupName(name, port));
            wanted.put(port, group != null ? group : createTargetGroup(request, port, lb.vpcId()));
        }
        syncListeners(request, lb, wanted);
        Set<String> instanceIds = new HashSet<>();
        for (LoadBalancerRequest.Target target : request.targets()) {
            instanceIds.add(AwsProviderIds.instanceId(target.providerId()));
        }
        for (TargetGroup group : wanted.values()) {
            syncTargets(group, instanceIds);
        }
        Set<String> kept = new HashSet<>();
        wanted.values().forEach(g -> kept.add(g.targetGroupName()));
        for (TargetGroup group : owned.values()) {
            if (!kept.contains(group.targetGroupName())) {
                deleteTargetGroup(group);
            }
        }
        return status(lb);
    }

    @Override
    public Optional<LoadBalancerStatus> find(String name) throws CloudException {
        return loadBalancer(name).map(AwsLoadBalancers::status);
    }

    @Override
    public void delete(String name) throws CloudException {
        Optional<LoadBalancer> lb = loadBalancer(name);
        if (lb.isPresent()) {
            String arn = lb.get().loadBalancerArn();
            for (Listener listener : listeners(arn)) {
                deleteListener(listener);
            }
            try {
                elb.deleteLoadBalancer(r -> r.loadBalancerArn(arn));
            } catch (SdkException e) {
                throw AwsErrors.map("DeleteLoadBalancer", name, e);
            }
            LOG.atInfo().setMessage("deleted load balancer").addKeyValue("loadBalancer", name).log();
        }
        // After the load balancer, also when it was gone already: an earlier attempt may have stopped in between.
        for (TargetGroup group : targetGroups(name).values()) {
            deleteTargetGroup(group);
        }
    }

    private LoadBalancer create(LoadBalancerRequest request) throws CloudException {
        try {
            LoadBalancer lb = elb.createLoadBalancer(requests.createLoadBalancer(request)).loadBalancers().getFirst();
            LOG.atInfo().setMessage("created network load balancer").addKeyValue("loadBalancer", request.name())
                    .addKeyValue("service", request.service()).addKeyValue("scheme", lb.schemeAsString()).log();
            return lb;
        } catch (SdkException e) {
            if (AwsErrors.hasCode(e, "DuplicateLoadBalancerName")) {
                // A concurrent attempt created it (ELBv2 answers so when its settings differ from ours).
                return loadBalancer(request.name()).orElseThrow(() -> AwsErrors.map("CreateLoadBalancer",
                        request.name(), e));
            }
            throw AwsErrors.map("CreateLoadBalancer", request.name(), e);
        }
    }

    private TargetGroup createTargetGroup(LoadBalancerRequest request, LoadBalancerRequest.Port port, String vpcId)
            throws CloudException {
        String name = NlbRequests.targetGroupName(request.name(), port);
        try {
            TargetGroup group = elb.createTargetGroup(requests.createTargetGroup(request, port, vpcId))
                    .targetGroups().getFirst();
            LOG.atInfo().setMessage("created target group").addKeyValue("targetGroup", name)
                    .addKeyValue("loadBalancer", request.name()).addKeyValue("nodePort", port.nodePort()).log();
            return group;
        } catch (SdkException e) {
            if (AwsErrors.hasCode(e, "DuplicateTargetGroupName")) {
                TargetGroup group = targetGroups(request.name()).get(name);
                if (group != null) {
                    return group;
                }
            }
            throw AwsErrors.map("CreateTargetGroup", name, e);
        }
    }

    /**
     * Deletes listeners no port wants first (so that a port that changed protocol is free), then points the others
     * at their port's target group and creates the missing ones.
     */
    private void syncListeners(LoadBalancerRequest request, LoadBalancer lb,
                               Map<LoadBalancerRequest.Port, TargetGroup> wanted)
            throws CloudException {
        Map<String, Listener> byKey = new HashMap<>();
        for (Listener listener : listeners(lb.loadBalancerArn())) {
            byKey.put(listener.protocolAsString() + "/" + listener.port(), listener);
        }
        Set<String> wantedKeys = new HashSet<>();
        for (LoadBalancerRequest.Port port : wanted.keySet()) {
            wantedKeys.add(NlbRequests.protocol(port) + "/" + port.port());
        }
        for (Map.Entry<String, Listener> entry : byKey.entrySet()) {
            if (!wantedKeys.contains(entry.getKey())) {
                deleteListener(entry.getValue());
            }
        }
        for (Map.Entry<LoadBalancerRequest.Port, TargetGroup> entry : wanted.entrySet()) {
            LoadBalancerRequest.Port port = entry.getKey();
            String groupArn = entry.getValue().targetGroupArn();
            Listener listener = byKey.get(NlbRequests.protocol(port) + "/" + port.port());
            if (listener == null) {
                createListener(request, lb, port, groupArn);
            } else if (!forwardsTo(listener, groupArn)) {
                modifyListener(listener, groupArn);
            }
        }
    }

    private void createListener(LoadBalancerRequest request, LoadBalancer lb, LoadBalancerRequest.Port port,
                                String groupArn) throws CloudException {
        try {
            elb.createListener(requests.createListener(request, lb.loadBalancerArn(), port, groupArn));
            LOG.atInfo().setMessage("created listener").addKeyValue("loadBalancer", lb.loadBalancerName())
                    .addKeyValue("port", port.port()).addKeyValue("protocol", port.protocol()).log();
        } catch (SdkException e) {
            if (!AwsErrors.hasCode(e, "DuplicateListener")) {
                throw AwsErrors.map("CreateListener", lb.loadBalancerName() + " port " + port.port(), e);
            }
            // A concurrent attempt created it: make sure it forwards where this one wants.
            for (Listener listener : listeners(lb.loadBalancerArn())) {
                if (listener.port() == port.port() && !forwardsTo(listener, groupArn)) {
                    modifyListener(listener, groupArn);
                }
            }
        }
    }

    private void modifyListener(Listener listener, String groupArn) throws CloudException {
        try {
            elb.modifyListener(r -> r.listenerArn(listener.listenerArn()).defaultActions(NlbRequests.forward(groupArn)));
            LOG.atInfo().setMessage("pointed listener at a new target group")
                    .addKeyValue("listener", listener.listenerArn()).addKeyValue("targetGroup", groupArn).log();
        } catch (SdkException e) {
            throw AwsErrors.map("ModifyListener", listener.listenerArn(), e);
        }
    }

    private void deleteListener(Listener listener) throws CloudException {
        try {
            elb.deleteListener(r -> r.listenerArn(listener.listenerArn()));
            LOG.atInfo().setMessage("deleted listener").addKeyValue("listener", listener.listenerArn()).log();
        } catch (SdkException e) {
            if (!AwsErrors.hasCode(e, "ListenerNotFound")) {
                throw AwsErrors.map("DeleteListener", listener.listenerArn(), e);
            }
        }
    }

    private void syncTargets(TargetGroup group, Set<String> instanceIds) throws CloudException {
        List<TargetDescription> registered = registered(group);
        Set<String> present = new HashSet<>();
        List<TargetDescription> extra = new ArrayList<>();
        for (TargetDescription target : registered) {
            if (instanceIds.contains(target.id())) {
                present.add(target.id());
            } else {
                extra.add(target);
            }
        }
        List<TargetDescription> missing = instanceIds.stream().filter(id -> !present.contains(id)).sorted()
                .map(id -> TargetDescription.builder().id(id).port(group.port()).build()).toList();
        if (!missing.isEmpty()) {
            try {
                elb.registerTargets(r -> r.targetGroupArn(group.targetGroupArn()).targets(missing));
            } catch (SdkException e) {
                throw AwsErrors.map("RegisterTargets", group.targetGroupName(), e);
            }
        }
        if (!extra.isEmpty()) {
            deregister(group, extra);
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            LOG.atInfo().setMessage("synced targets").addKeyValue("targetGroup", group.targetGroupName())
                    .addKeyValue("registered", missing.size()).addKeyValue("deregistered", extra.size()).log();
        }
    }

    /**
     * Deregisters the targets; {@code InvalidTarget} (a target not registered, or an instance that is gone) is success
     * once none of them is registered any more: a concurrent attempt or ELBv2 itself took them off.
     */
    private void deregister(TargetGroup group, List<TargetDescription> targets) throws CloudException {
        try {
            elb.deregisterTargets(r -> r.targetGroupArn(group.targetGroupArn()).targets(targets));
        } catch (SdkException e) {
            if (!AwsErrors.hasCode(e, "InvalidTarget")) {
                throw AwsErrors.map("DeregisterTargets", group.targetGroupName(), e);
            }
            Set<String> stillRegistered = new HashSet<>();
            registered(group).forEach(t -> stillRegistered.add(t.id()));
            if (targets.stream().anyMatch(t -> stillRegistered.contains(t.id()))) {
                throw AwsErrors.map("DeregisterTargets", group.targetGroupName(), e);
            }
        }
    }

    private List<TargetDescription> registered(TargetGroup group) throws CloudException {
        List<TargetDescription> registered = new ArrayList<>();
        try {
            for (TargetHealthDescription health : elb.describeTargetHealth(r -> r.targetGroupArn(
                    group.targetGroupArn())).targetHealthDescriptions()) {
                registered.add(health.target());
            }
        } catch (SdkException e) {
            throw AwsErrors.map("DescribeTargetHealth", group.targetGroupName(), e);
        }
        return registered;
    }

    private void deleteTargetGroup(TargetGroup group) throws CloudException {
        try {
            elb.deleteTargetGroup(r -> r.targetGroupArn(group.targetGroupArn()));
            LOG.atInfo().setMessage("deleted target group").addKeyValue("targetGroup", group.targetGroupName()).log();
        } catch (SdkException e) {
            // ResourceInUse while a deleted listener or load balancer still holds it: retryable.
            throw AwsErrors.map("DeleteTargetGroup", group.targetGroupName(), e);
        }
    }

    private Optional<LoadBalancer> loadBalancer(String name) throws CloudException {
        try {
            return elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().stream().findFirst();
        } catch (SdkException e) {
            if (AwsErrors.hasCode(e, "LoadBalancerNotFound")) {
                return Optional.empty();
            }
            throw AwsErrors.map("DescribeLoadBalancers", name, e);
        }
    }

    private List<Listener> listeners(String loadBalancerArn) throws CloudException {
        try {
            List<Listener> listeners = new ArrayList<>();
            elb.describeListenersPaginator(r -> r.loadBalancerArn(loadBalancerArn)).listeners()
                    .forEach(listeners::add);
            return listeners;
        } catch (SdkException e) {
            throw AwsErrors.map("DescribeListeners", loadBalancerArn, e);
        }
    }

    /**
     * The load balancer's target groups by name: every one whose name starts with its prefix, whether a listener
     * still uses it or not (an attempt that stopped between a listener's and its target group's deletion leaves one).
     */
    private Map<String, TargetGroup> targetGroups(String loadBalancerName) throws CloudException {
        String prefix = NlbRequests.targetGroupPrefix(loadBalancerName);
        Map<String, TargetGroup> groups = new HashMap<>();
        try {
            elb.describeTargetGroupsPaginator(r -> { }).targetGroups().forEach(group -> {
                if (group.targetGroupName().startsWith(prefix)) {
                    groups.put(group.targetGroupName(), group);
                }
            });
        } catch (SdkException e) {
            throw AwsErrors.map("DescribeTargetGroups", loadBalancerName, e);
        }
        return groups;
    }

    private static boolean forwardsTo(Listener listener, String groupArn) {
        List<Action> actions = listener.defaultActions();
        return actions.size() == 1 && groupArn.equals(actions.getFirst().targetGroupArn());
    }

    private static LoadBalancerStatus status(LoadBalancer lb) {
        return new LoadBalancerStatus(lb.loadBalancerName(),
                List.of(new LoadBalancerStatus.Ingress(null, lb.dnsName())));
    }
}
