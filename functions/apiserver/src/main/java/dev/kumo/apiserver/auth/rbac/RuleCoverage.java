package dev.kumo.apiserver.auth.rbac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Whether one set of rules grants everything another does, as RBAC's escalation check decides it
 * ({@code validation.Covers}): each rule is broken down into single verb/group/resource/name rules (and
 * verb/URL rules), each of which some owner rule must cover; {@code *} covers anything in its dimension,
 * <code>&#42;/sub</code> covers that subresource of any resource, a URL ending in {@code *} covers the URLs
 * it prefixes, and a rule limited to names covers only those names.
 */
public final class RuleCoverage {
    private RuleCoverage() {
    }

    /** The rules of {@code servant} that {@code owner} does not cover, broken down; empty when covered. */
    public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
        List<PolicyRule> missing = new ArrayList<>();
        for (PolicyRule rule : servant) {
            for (PolicyRule subrule : breakdown(rule)) {
                if (owner.stream().noneMatch(ownerRule -> covers(ownerRule, subrule))) {
                    missing.add(subrule);
                }
            }
        }
        return missing;
    }

    static List<PolicyRule> breakdown(PolicyRule rule) {
        List<PolicyRule> subrules = new ArrayList<>();
        for (String group : rule.apiGroups()) {
            for (String resource : rule.resources()) {
                for (String verb : rule.verbs()) {
                    PolicyRule single = PolicyRule.resources(List.of(verb), List.of(group), List.of(resource));
                    if (rule.resourceNames().isEmpty()) {
                        subrules.add(single);
                    } else {
                        rule.resourceNames().forEach(name -> subrules.add(single.withNames(List.of(name))));
                    }
                }
            }
        }
        for (String url : rule.nonResourceURLs()) {
            for (String verb : rule.verbs()) {
                subrules.add(PolicyRule.urls(List.of(verb), List.of(url)));
            }
        }
        return subrules;
    }

    static boolean covers(PolicyRule owner, PolicyRule sub) {
        boolean verbs = owner.verbs().contains(PolicyRule.ALL) || owner.verbs().containsAll(sub.verbs());
        boolean groups = owner.apiGroups().contains(PolicyRule.ALL) || owner.apiGroups().containsAll(sub.apiGroups());
        boolean names = sub.resourceNames().isEmpty() ? owner.resourceNames().isEmpty()
                : owner.resourceNames().isEmpty() || owner.resourceNames().containsAll(sub.resourceNames());
        return verbs && groups && resourcesCovered(owner.resources(), sub.resources()) && names
                && urlsCovered(owner.nonResourceURLs(), sub.nonResourceURLs());
    }

    private static boolean resourcesCovered(List<String> owner, List<String> wanted) {
        if (owner.contains(PolicyRule.ALL) || owner.containsAll(wanted)) {
            return true;
        }
        for (String resource : wanted) {
            if (owner.contains(resource)) {
                continue;
            }
            int slash = resource.indexOf('/');
            if (slash < 0 || !owner.contains("*/" + resource.substring(slash + 1))) {
                return false;
            }
        }
        return true;
    }

    private static boolean urlsCovered(List<String> owner, List<String> wanted) {
        for (String url : wanted) {
            boolean covered = owner.stream().anyMatch(o -> RuleMatching.urlCovers(o, url));
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /**
     * The missing rules as an escalation error lists them ({@code CompactRules} then {@code CompactString}, sorted):
     * single-resource rules that differ only in verbs are merged.
     */
    public static List<String> describe(List<PolicyRule> missing) {
        List<PolicyRule> compacted = new ArrayList<>();
        Map<List<String>, List<String>> verbsBySimpleResource = new LinkedHashMap<>();
        Map<List<String>, PolicyRule> simpleRules = new LinkedHashMap<>();
        for (PolicyRule rule : missing) {
            boolean simple = rule.resourceNames().size() <= 1 && rule.nonResourceURLs().isEmpty()
                    && rule.apiGroups().size() == 1 && rule.resources().size() == 1;
            if (!simple) {
                compacted.add(rule);
                continue;
            }
            List<String> key = new ArrayList<>(List.of(rule.apiGroups().get(0), rule.resources().get(0)));
            key.addAll(rule.resourceNames());
            simpleRules.putIfAbsent(key, rule);
            List<String> verbs = verbsBySimpleResource.computeIfAbsent(key, k -> new ArrayList<>());
            rule.verbs().stream().filter(v -> !verbs.contains(v)).forEach(verbs::add);
        }
        simpleRules.forEach((key, rule) -> compacted.add(new PolicyRule(verbsBySimpleResource.get(key),
                rule.apiGroups(), rule.resources(), rule.resourceNames(), List.of())));
        TreeSet<String> descriptions = new TreeSet<>();
        compacted.forEach(rule -> descriptions.add(rule.compactString()));
        return List.copyOf(descriptions);
    }
}
