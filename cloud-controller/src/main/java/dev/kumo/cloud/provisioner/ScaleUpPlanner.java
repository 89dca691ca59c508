package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.controllers.scheduler.Profile;
import dev.kumo.controllers.scheduler.ScheduleOutcome;
import dev.kumo.controllers.scheduler.Scheduler;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.loop.PendingPods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which pool to grow, and by how many nodes, for pods the scheduler marked Unschedulable: cluster-autoscaler's
 * expansion options with its binpacking estimator, over kube-scheduler's own plugins (the scheduler's profile without
 * preemption). For each pool with room, the snapshot holds the cluster's nodes and the upcoming ones (instances
 * launched whose node has not registered), and the pending pods are placed one by one, highest priority first; a pod
 * that fits nowhere gets one new template node of the pool, which is kept only if the pod then fits. The pool that
 * helps the most pods wins; fewer new nodes, then the name, break ties.
 */
final class ScaleUpPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleUpPlanner.class);
    private static final Profile SIMULATION = Profile.defaults().withoutPostFilter();

    private final NodeTemplates templates;

    ScaleUpPlanner(NodeTemplates templates) {
        this.templates = templates;
    }

    static ScaleUpPlanner of(ObjectMapper mapper, dev.kumo.cloud.Instances instances, ClusterView view) {
        return new ScaleUpPlanner(new NodeTemplates(mapper, instances, view.nodes()));
    }

    /** The pods the provisioner works for: waiting for the default scheduler, which found no node. */
    static List<ObjectNode> pending(List<ObjectNode> pods) {
        return pods.stream().filter(PendingPods::isOurs).filter(PendingPods::isMarkedUnschedulable)
                .sorted(PendingPods.QUEUE_ORDER).toList();
    }

    Optional<ScaleUpPlan> plan(ClusterView view) throws CloudException {
        List<ObjectNode> pending = pending(view.pods());
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        List<ObjectNode> base = new ArrayList<>(view.initializedNodes());
        Map<String, NodePool> pools = view.pools().stream().collect(Collectors.toMap(NodePool::name, p -> p));
        for (Instance upcoming : view.upcoming()) {
            NodePool pool = pools.get(upcoming.nodePool());
            if (pool != null) {
                templates.node(pool, upcoming.nodeName(), upcoming.zone()).ifPresent(base::add);
            }
        }
        List<ObjectNode> bound = view.pods().stream().filter(PendingPods::isBound).toList();
        ScaleUpPlan best = null;
        for (NodePool pool : view.pools()) {
            int room = pool.maxSize() - view.instancesOf(pool.name()).size();
            if (room <= 0) {
                continue;
            }
            ScaleUpPlan plan = estimate(pool, room, base, bound, pending);
            if (plan.pods().isEmpty()) {
                continue;
            }
            if (best == null || better(plan, best)) {
                best = plan;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean better(ScaleUpPlan plan, ScaleUpPlan best) {
        return Comparator.<ScaleUpPlan>comparingInt(p -> p.pods().size())
                .thenComparing(Comparator.<ScaleUpPlan>comparingInt(ScaleUpPlan::newNodes).reversed())
                .thenComparing(Comparator.comparing((ScaleUpPlan p) -> p.pool().name()).reversed())
                .compare(plan, best) > 0;
    }

    /** The binpacking estimate for one pool: new nodes are added only when a pod fits nowhere else. */
    private ScaleUpPlan estimate(NodePool pool, int room, List<ObjectNode> base, List<ObjectNode> bound,
                                 List<ObjectNode> pending) throws CloudException {
        List<ObjectNode> nodes = new ArrayList<>(base);
        List<ObjectNode> placed = new ArrayList<>(bound);
        Set<String> added = new HashSet<>();
        List<ObjectNode> helped = new ArrayList<>();
        Scheduler scheduler = new Scheduler(SIMULATION, null);
        ClusterSnapshot snapshot = snapshot(nodes, placed);
        for (ObjectNode pod : pending) {
            Optional<String> node = place(scheduler, snapshot, pod);
            if (node.isEmpty() && added.size() < room) {
                String name = pool.name() + "-template-" + (added.size() + 1);
                Optional<ObjectNode> template = templates.node(pool, name, pool.zoneFor(pool.launchCount()
                        + added.size() + 1));
                if (template.isEmpty()) {
                    LOG.atWarn().addKeyValue("nodePool", pool.name()).addKeyValue("instanceType", pool.instanceType())
                            .log("the size of the pool's instance type is unknown; the pool cannot be grown");
                    break;
                }
                nodes.add(template.get());
                snapshot = snapshot(nodes, placed);
                node = place(scheduler, snapshot, pod);
                if (node.isPresent()) {
                    added.add(name);
                } else {
                    nodes.removeLast();
                    snapshot = snapshot(nodes, placed);
                }
            }
            if (node.isPresent()) {
                ObjectNode onNode = pod.deepCopy();
                ((ObjectNode) onNode.path("spec")).put("nodeName", node.get());
                placed.add(onNode);
                snapshot.assume(PodInfo.of(pod), node.get());
                if (added.contains(node.get())) {
                    helped.add(pod);
                }
            }
        }
        LOG.atDebug().addKeyValue("nodePool", pool.name()).addKeyValue("newNodes", added.size())
                .addKeyValue("pods", helped.stream().map(p -> Meta.namespace(p) + "/" + Meta.name(p)).toList())
                .log("scale-up estimate");
        return new ScaleUpPlan(pool, added.size(), helped);
    }

    private static Optional<String> place(Scheduler scheduler, ClusterSnapshot snapshot, ObjectNode pod) {
        ScheduleOutcome outcome = scheduler.schedule(pod, snapshot);
        return outcome instanceof ScheduleOutcome.Scheduled scheduled ? Optional.of(scheduled.nodeName())
                : Optional.empty();
    }

    private static ClusterSnapshot snapshot(List<ObjectNode> nodes, List<ObjectNode> pods) {
        return ClusterSnapshot.builder().nodes(nodes).pods(pods).build();
    }
}
