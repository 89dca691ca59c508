package dev.kumo.controllers.scheduler.plugins.defaultpreemption;

import dev.kumo.controllers.scheduler.FitError;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.Diagnosis;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PostFilterPlugin;
import dev.kumo.controllers.scheduler.framework.PostFilterResult;
import dev.kumo.controllers.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DefaultPreemption's evaluation, without its API calls: when no node fits, may evicting lower-priority pods make
 * one fit? For every node whose rejection preemption could change, it removes all lower-priority pods, runs
 * PreFilter and Filter again, and if the pod then fits, puts back as many of them as still let it fit (the most
 * important first). The best such node (fewest and least important victims) is returned with its victims; evicting
 * them and setting {@code status.nominatedNodeName} is the caller's job. Without a candidate, the message says why,
 * per node, the way kube-scheduler does ({@code preemption: 0/3 nodes are available: ...}).
 *
 * <p>PodDisruptionBudgets are not consulted (the snapshot has none): every victim counts as not violating one.
 */
public final class DefaultPreemption implements PostFilterPlugin {
    public static final String NAME = "DefaultPreemption";
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";

    private record Candidate(NodeInfo node, List<PodInfo> victims) {
        int highestPriority() {
            return victims.stream().mapToInt(PodInfo::priority).max().orElse(Integer.MIN_VALUE);
        }

        long prioritySum() {
            // Shifted so that negative priorities still add up in order, as kube-scheduler does.
            return victims.stream().mapToLong(v -> (long) v.priority() + Integer.MAX_VALUE + 1).sum();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PostFilterResult postFilter(CycleState state, PodInfo pod, Diagnosis diagnosis, ClusterSnapshot snapshot,
                                       FilterRunner filters) {
        String ineligible = ineligibility(pod, diagnosis, snapshot);
        if (ineligible != null) {
            return PostFilterResult.failed(Status.unschedulable("preemption: " + ineligible));
        }
        Diagnosis outcome = new Diagnosis();
        outcome.setAbsentNodesStatus(Status.unresolvable(NOT_HELPFUL));
        List<Candidate> candidates = new ArrayList<>();
        for (NodeInfo node : snapshot.nodes()) {
            if (diagnosis.get(node.name()).code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                outcome.set(node.name(), Status.unresolvable(NOT_HELPFUL));
                continue;
            }
            Candidate candidate = selectVictims(pod, node, snapshot, filters, outcome);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        if (candidates.isEmpty()) {
            FitError fitError = new FitError(snapshot.size(), outcome);
            return PostFilterResult.failed(Status.unschedulable("preemption: " + fitError.message()));
        }
        Candidate best = candidates.stream()
                .min(Comparator.comparingInt(Candidate::highestPriority)
                        .thenComparingLong(Candidate::prioritySum)
                        .thenComparingInt(c -> c.victims().size()))
                .orElseThrow();
        return new PostFilterResult(Status.SUCCESS, best.node().name(), best.victims());
    }

    /** {@code PodEligibleToPreemptOthers}: null when the pod may preempt, else why not. */
    private static String ineligibility(PodInfo pod, Diagnosis diagnosis, ClusterSnapshot snapshot) {
        if ("Never".equals(pod.pod().path("spec").path("preemptionPolicy").asText(""))) {
            return "not eligible due to preemptionPolicy=Never.";
        }
        String nominated = pod.pod().path("status").path("nominatedNodeName").asText("");
        if (!nominated.isEmpty()
                && diagnosis.get(nominated).code() != Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
            NodeInfo node = snapshot.get(nominated);
            // A victim of an earlier preemption is still leaving: wait for it rather than preempt again.
            if (node != null && node.pods().stream()
                    .anyMatch(p -> p.isTerminating() && p.priority() < pod.priority())) {
                return "not eligible due to a terminating pod on the nominated node.";
            }
        }
        return null;
    }

    /** {@code SelectVictimsOnNode}: the victims that make the pod fit on the node, or null (status recorded). */
    private static Candidate selectVictims(PodInfo pod, NodeInfo node, ClusterSnapshot snapshot,
                                           FilterRunner filters, Diagnosis outcome) {
        NodeInfo trial = node.copy();
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo placed : node.pods()) {
            if (placed.priority() < pod.priority()) {
                potential.add(placed);
                trial.removePod(placed);
            }
        }
        if (potential.isEmpty()) {
            outcome.set(node.name(), Status.unresolvable(NO_VICTIMS));
            return null;
        }
        ClusterSnapshot view = snapshot.withNode(trial);
        Status status = filters.runOn(view, trial);
        if (!status.isSuccess()) {
            outcome.set(node.name(), status);
            return null;
        }
        // Reprieve the most important first: higher priority, then the earlier started.
        potential.sort(Comparator.comparingInt(PodInfo::priority).reversed()
                .thenComparing(p -> p.pod().path("status").path("startTime").asText("~")));
        List<PodInfo> victims = new ArrayList<>();
        for (PodInfo candidate : potential) {
            trial.addPod(candidate);
            if (!filters.runOn(view, trial).isSuccess()) {
                trial.removePod(candidate);
                victims.add(candidate);
            }
        }
        return new Candidate(node, victims);
    }
}
