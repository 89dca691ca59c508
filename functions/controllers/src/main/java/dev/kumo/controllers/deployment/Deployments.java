package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.OptionalLong;

/**
 * What the deployment controller reads from a deployment's spec, as Kubernetes' {@code deploymentutil}: replicas,
 * the strategy's surge and unavailability budgets (percentages of replicas, surge rounded up and unavailability
 * down, {@code ResolveFenceposts}), the progress deadline and the revision history limit.
 */
final class Deployments {
    static final String ROLLING_UPDATE = "RollingUpdate";
    static final String RECREATE = "Recreate";
    /** {@code math.MaxInt32}: Kubernetes' "no deadline" / "keep all history". */
    private static final long UNLIMITED = Integer.MAX_VALUE;

    private Deployments() {
    }

    static int replicas(JsonNode deployment) {
        return deployment.path("spec").path("replicas").asInt(1);
    }

    static long minReadySeconds(JsonNode deployment) {
        return deployment.path("spec").path("minReadySeconds").asLong(0);
    }

    static String strategy(JsonNode deployment) {
        return deployment.path("spec").path("strategy").path("type").asText(ROLLING_UPDATE);
    }

    static boolean isRollingUpdate(JsonNode deployment) {
        return strategy(deployment).equals(ROLLING_UPDATE);
    }

    static boolean paused(JsonNode deployment) {
        return deployment.path("spec").path("paused").asBoolean(false);
    }

    /** The most pods above replicas during a rolling update ({@code MaxSurge}); 0 for Recreate. */
    static int maxSurge(JsonNode deployment) {
        if (!isRollingUpdate(deployment)) {
            return 0;
        }
        return fenceposts(deployment)[0];
    }

    /** The most pods that may be unavailable during a rolling update ({@code MaxUnavailable}), at most replicas. */
    static int maxUnavailable(JsonNode deployment) {
        int replicas = replicas(deployment);
        if (!isRollingUpdate(deployment) || replicas == 0) {
            return 0;
        }
        return Math.min(fenceposts(deployment)[1], replicas);
    }

    /** The surge as {@code NewRSNewReplicas} reads it: straight from the spec, without the 0/0 correction. */
    static int rawMaxSurge(JsonNode deployment) {
        return scaled(rollingUpdate(deployment).path("maxSurge"), replicas(deployment), true);
    }

    /**
     * {@code ResolveFenceposts}: surge rounded up, unavailability rounded down, and if both come to 0,
     * unavailability 1 (so that a rollout can always move).
     */
    private static int[] fenceposts(JsonNode deployment) {
        int replicas = replicas(deployment);
        JsonNode rolling = rollingUpdate(deployment);
        int surge = scaled(rolling.path("maxSurge"), replicas, true);
        int unavailable = scaled(rolling.path("maxUnavailable"), replicas, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new int[]{surge, unavailable};
    }

    private static JsonNode rollingUpdate(JsonNode deployment) {
        return deployment.path("spec").path("strategy").path("rollingUpdate");
    }

    /**
     * An IntOrString against {@code total} ({@code GetScaledValueFromIntOrPercent}): a number as is, {@code "n%"}
     * as n percent of total rounded up or down. Absent or malformed counts as 0, as Kubernetes' callers do with
     * the error.
     */
    static int scaled(JsonNode intOrPercent, int total, boolean roundUp) {
        if (intOrPercent.isIntegralNumber()) {
            return intOrPercent.asInt();
        }
        String text = intOrPercent.asText("");
        if (!text.endsWith("%")) {
            return 0;
        }
        int percent;
        try {
            percent = Integer.parseInt(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            return 0;
        }
        double value = (double) percent * total / 100;
        return (int) (roundUp ? Math.ceil(value) : Math.floor(value));
    }

    /** {@code HasProgressDeadline}: set, and not MaxInt32. */
    static boolean hasProgressDeadline(JsonNode deployment) {
        JsonNode deadline = deployment.path("spec").path("progressDeadlineSeconds");
        return deadline.isNumber() && deadline.asLong() != UNLIMITED;
    }

    static long progressDeadlineSeconds(JsonNode deployment) {
        return deployment.path("spec").path("progressDeadlineSeconds").asLong();
    }

    /** {@code spec.revisionHistoryLimit}, unless unset or MaxInt32 (keep everything). */
    static OptionalLong revisionHistoryLimit(JsonNode deployment) {
        JsonNode limit = deployment.path("spec").path("revisionHistoryLimit");
        return limit.isNumber() && limit.asLong() != UNLIMITED ? OptionalLong.of(limit.asLong()) : OptionalLong.empty();
    }

    static long generation(JsonNode object) {
        return object.path("metadata").path("generation").asLong(0);
    }
}
