package dev.kumo.apiserver.auth.authn.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apiserver.auth.UserInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of EKS's {@code aws-auth} {@code mapRoles}/{@code mapUsers}: an IAM ARN and the Kubernetes user and
 * groups it stands for. Names may use aws-iam-authenticator's templates {@code {{AccountID}}},
 * {@code {{SessionName}}} ('@' made '-'), {@code {{SessionNameRaw}}} and {@code {{AccessKeyID}}}.
 *
 * @param arn the canonical ARN matched (lower-case; a role's path removed, as session ARNs carry none)
 */
public record IamMapping(String arn, String username, List<String> groups) {

    public IamMapping {
        arn = canonical(arn);
        groups = List.copyOf(groups);
    }

    /** An entry as aws-auth and KUMO_IAM_MAPPINGS write it: {@code rolearn} or {@code userarn} (or {@code arn}). */
    public static IamMapping fromJson(JsonNode entry) {
        String arn = entry.path("rolearn").asText(entry.path("userarn").asText(entry.path("arn").asText("")));
        if (arn.isEmpty()) {
            throw new IllegalArgumentException("an IAM mapping needs rolearn, userarn or arn: " + entry);
        }
        List<String> groups = new ArrayList<>();
        entry.path("groups").forEach(group -> groups.add(group.asText()));
        return new IamMapping(arn, entry.path("username").asText(""), groups);
    }

    boolean matches(CallerIdentity identity) {
        return arn.equals(canonical(identity.canonicalArn()));
    }

    /**
     * The user this mapping makes of {@code identity}, as aws-iam-authenticator does: uid
     * {@code aws-iam-authenticator:<account>:<userId>} and the identity in {@code extra}. Empty when a template
     * cannot be filled here ({@code {{EC2PrivateDNSName}}} needs EC2's API).
     */
    Optional<UserInfo> user(CallerIdentity identity, String accessKeyId) {
        String name = username.isEmpty() ? identity.canonicalArn() : render(username, identity, accessKeyId);
        if (name.contains("{{")) {
            return Optional.empty();
        }
        List<String> rendered = groups.stream().map(group -> render(group, identity, accessKeyId)).toList();
        if (rendered.stream().anyMatch(group -> group.contains("{{"))) {
            return Optional.empty();
        }
        Map<String, List<String>> extra = Map.of("arn", List.of(identity.arn()),
                "canonicalArn", List.of(identity.canonicalArn()), "sessionName", List.of(identity.sessionName()),
                "accessKeyId", List.of(accessKeyId), "principalId", List.of(identity.userId()));
        return Optional.of(new UserInfo(name, "aws-iam-authenticator:" + identity.account() + ":" + identity.userId(),
                rendered, extra));
    }

    private static String render(String template, CallerIdentity identity, String accessKeyId) {
        return template.replace("{{AccountID}}", identity.account())
                .replace("{{SessionNameRaw}}", identity.sessionName())
                .replace("{{SessionName}}", identity.sessionName().replace('@', '-'))
                .replace("{{AccessKeyID}}", accessKeyId);
    }

    private static String canonical(String arn) {
        String lower = arn.strip().toLowerCase(Locale.ROOT);
        int role = lower.indexOf(":role/");
        if (lower.startsWith("arn:") && role > 0 && lower.indexOf(":iam:") > 0) {
            String path = lower.substring(role + ":role/".length());
            return lower.substring(0, role) + ":role/" + path.substring(path.lastIndexOf('/') + 1);
        }
        return lower;
    }
}
