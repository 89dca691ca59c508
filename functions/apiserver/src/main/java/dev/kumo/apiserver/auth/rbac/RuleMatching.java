package dev.kumo.apiserver.auth.rbac;

import dev.kumo.apiserver.auth.authz.RequestInfo;

/**
 * Whether a rule allows a request, by Kubernetes' rules ({@code RuleAllows} and the {@code rbacv1helpers}
 * matchers): every dimension must match; {@code *} matches any verb, group, resource (subresources included) or
 * URL; <code>&#42;/status</code> matches the status subresource of any resource; a rule with resourceNames matches only
 * requests that name one of them, so never a list, watch or create of the whole collection; a non-resource URL
 * ending in {@code *} matches every path it prefixes.
 */
public final class RuleMatching {
    private RuleMatching() {
    }

    public static boolean allows(PolicyRule rule, RequestInfo request) {
        if (request.resourceRequest()) {
            return verbMatches(rule, request.verb())
                    && apiGroupMatches(rule, request.apiGroup())
                    && resourceMatches(rule, request.resourceWithSubresource(), request.subresource())
                    && resourceNameMatches(rule, request.name());
        }
        return verbMatches(rule, request.verb()) && nonResourceUrlMatches(rule, request.path());
    }

    static boolean verbMatches(PolicyRule rule, String verb) {
        return rule.verbs().contains(PolicyRule.ALL) || rule.verbs().contains(verb);
    }

    static boolean apiGroupMatches(PolicyRule rule, String group) {
        return rule.apiGroups().contains(PolicyRule.ALL) || rule.apiGroups().contains(group);
    }

    static boolean resourceMatches(PolicyRule rule, String combinedResource, String subresource) {
        for (String resource : rule.resources()) {
            if (resource.equals(PolicyRule.ALL) || resource.equals(combinedResource)) {
                return true;
            }
            if (!subresource.isEmpty() && resource.length() == subresource.length() + 2
                    && resource.startsWith("*/") && resource.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    static boolean resourceNameMatches(PolicyRule rule, String name) {
        return rule.resourceNames().isEmpty() || rule.resourceNames().contains(name);
    }

    static boolean nonResourceUrlMatches(PolicyRule rule, String path) {
        for (String url : rule.nonResourceURLs()) {
            if (urlCovers(url, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a rule's non-resource URL covers {@code path} ({@code nonResourceURLCovers}, which matching and the
     * escalation check share): the same URL, or one ending in {@code *} whose part before the stars prefixes it
     * ({@code *} alone covers every path).
     */
    static boolean urlCovers(String ruleUrl, String path) {
        if (ruleUrl.equals(path)) {
            return true;
        }
        int prefix = ruleUrl.length();
        while (prefix > 0 && ruleUrl.charAt(prefix - 1) == '*') {
            prefix--;
        }
        return prefix < ruleUrl.length() && path.regionMatches(0, ruleUrl, 0, prefix);
    }
}
