package dev.kumo.apiserver.auth.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * What a user may do in a namespace, as an authorizer can enumerate it (Kubernetes' {@code RuleResolver.RulesFor}):
 * the rules on resources and on non-resource URLs, whether the list may be missing some (an authorizer that cannot
 * enumerate its decisions), and what went wrong while gathering them. SelfSubjectRulesReview answers with it.
 */
public record SubjectRules(List<ResourceRule> resourceRules, List<NonResourceRule> nonResourceRules,
                           boolean incomplete, String evaluationError) {
    public static final SubjectRules NONE = new SubjectRules(List.of(), List.of(), false, "");

    public record ResourceRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                               List<String> resourceNames) {
        public ResourceRule {
            verbs = List.copyOf(verbs);
            apiGroups = List.copyOf(apiGroups);
            resources = List.copyOf(resources);
            resourceNames = List.copyOf(resourceNames);
        }
    }

    public record NonResourceRule(List<String> verbs, List<String> nonResourceURLs) {
        public NonResourceRule {
            verbs = List.copyOf(verbs);
            nonResourceURLs = List.copyOf(nonResourceURLs);
        }
    }

    public SubjectRules {
        resourceRules = List.copyOf(resourceRules);
        nonResourceRules = List.copyOf(nonResourceRules);
        evaluationError = evaluationError == null ? "" : evaluationError;
    }

    /** Both answers together, as kube-apiserver's union rule resolver joins its authorizers' rules. */
    public SubjectRules and(SubjectRules other) {
        List<ResourceRule> resources = new ArrayList<>(resourceRules);
        resources.addAll(other.resourceRules);
        List<NonResourceRule> urls = new ArrayList<>(nonResourceRules);
        urls.addAll(other.nonResourceRules);
        String error = evaluationError.isEmpty() ? other.evaluationError
                : other.evaluationError.isEmpty() ? evaluationError : evaluationError + ", " + other.evaluationError;
        return new SubjectRules(resources, urls, incomplete || other.incomplete, error);
    }
}
