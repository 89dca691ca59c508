package dev.kumo.apiserver.auth.authz;

/**
 * An authorizer's answer. {@code NO_OPINION} passes the request to the next authorizer; the last one's silence is
 * a denial.
 */
public record Decision(Kind kind, String reason) {
    public enum Kind { ALLOW, DENY, NO_OPINION }

    public static Decision allow(String reason) {
        return new Decision(Kind.ALLOW, reason);
    }

    public static Decision deny(String reason) {
        return new Decision(Kind.DENY, reason);
    }

    public static Decision noOpinion(String reason) {
        return new Decision(Kind.NO_OPINION, reason);
    }

    public boolean allowed() {
        return kind == Kind.ALLOW;
    }
}
