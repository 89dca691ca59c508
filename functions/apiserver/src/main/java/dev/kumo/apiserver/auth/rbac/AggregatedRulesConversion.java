package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.resources.Conversion;

/**
 * Serves an aggregated ClusterRole with the rules it aggregates, as Kubernetes' aggregation controller would have
 * written them into the object, so that {@code kubectl get} and {@code describe} show what the role grants. kumo
 * has no such controller yet (it comes with the control loops); until then the rules are filled in on every read
 * from the current policy, which the authorizer evaluates the same way. What is stored stays as written.
 */
public final class AggregatedRulesConversion implements Conversion {
    private final PolicySource policies;

    public AggregatedRulesConversion(PolicySource policies) {
        this.policies = policies;
    }

    @Override
    public ObjectNode toStorage(ObjectNode served) {
        return served;
    }

    @Override
    public ObjectNode fromStorage(ObjectNode stored) {
        if (!Role.hasAggregationRule(stored)) {
            return stored; // most ClusterRoles: served as stored, without reading their rules
        }
        RbacPolicy policy = policies.policy(false);
        ObjectNode served = stored.deepCopy();
        ArrayNode rules = served.putArray("rules");
        policy.rulesOf(Role.fromJson(stored)).forEach(rule -> rules.add(rule.toJson()));
        return served;
    }
}
