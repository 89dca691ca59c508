package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.replicaset.Pods;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/** A deployment's replica sets as its controller reads them: sizes, counts, revisions and orders. */
final class ReplicaSets {
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

    /** {@code ReplicaSetsByCreationTimestamp}: older first, then by name. */
    static final Comparator<JsonNode> BY_CREATION = Comparator
            .comparing((JsonNode rs) -> Pods.creationTimestamp(rs).orElse(Instant.MIN))
            .thenComparing(Meta::name);
    /** {@code ReplicaSetsBySizeOlder}: larger first, then older first. */
    static final Comparator<JsonNode> BY_SIZE_OLDER = Comparator
            .comparingInt((JsonNode rs) -> -replicas(rs)).thenComparing(BY_CREATION);
    /** {@code ReplicaSetsBySizeNewer}: larger first, then newer first. */
    static final Comparator<JsonNode> BY_SIZE_NEWER = Comparator
            .comparingInt((JsonNode rs) -> -replicas(rs)).thenComparing(BY_CREATION.reversed());
    /** {@code ReplicaSetsByRevision}: lower revision first; unreadable or equal revisions by creation. */
    static final Comparator<JsonNode> BY_REVISION = (a, b) -> {
        OptionalLong ra = revision(a);
        OptionalLong rb = revision(b);
        if (ra.isEmpty() || rb.isEmpty() || ra.getAsLong() == rb.getAsLong()) {
            return BY_CREATION.compare(a, b);
        }
        return Long.compare(ra.getAsLong(), rb.getAsLong());
    };

    private ReplicaSets() {
    }

    static int replicas(JsonNode rs) {
        return rs.path("spec").path("replicas").asInt(1);
    }

    static int statusReplicas(JsonNode rs) {
        return rs.path("status").path("replicas").asInt(0);
    }

    static int readyReplicas(JsonNode rs) {
        return rs.path("status").path("readyReplicas").asInt(0);
    }

    static int availableReplicas(JsonNode rs) {
        return rs.path("status").path("availableReplicas").asInt(0);
    }

    static String annotation(JsonNode object, String key) {
        JsonNode value = object.path("metadata").path("annotations").get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    static ObjectNode annotations(ObjectNode object) {
        ObjectNode metadata = Meta.of(object);
        JsonNode annotations = metadata.get("annotations");
        return annotations instanceof ObjectNode node ? node : metadata.putObject("annotations");
    }

    /** The revision annotation: 0 when absent, empty when it is not a number ({@code deploymentutil.Revision}). */
    static OptionalLong revision(JsonNode rs) {
        String value = annotation(rs, REVISION);
        if (value == null) {
            return OptionalLong.of(0);
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The highest revision among them ({@code MaxRevision}), 0 if none has one. */
    static long maxRevision(Collection<? extends JsonNode> replicaSets) {
        return Math.max(0, replicaSets.stream().map(ReplicaSets::revision).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).max().orElse(0));
    }

    /** An int annotation ({@code getIntFromAnnotation}), empty when absent or not a number. */
    static java.util.OptionalInt intAnnotation(JsonNode rs, String key) {
        String value = annotation(rs, key);
        if (value == null) {
            return java.util.OptionalInt.empty();
        }
        try {
            return java.util.OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** Those with spec.replicas above zero ({@code FilterActiveReplicaSets}). */
    static List<ObjectNode> active(Collection<ObjectNode> replicaSets) {
        return replicaSets.stream().filter(Objects::nonNull).filter(rs -> replicas(rs) > 0).toList();
    }

    /** The sum of spec.replicas ({@code GetReplicaCountForReplicaSets}). */
    static int specReplicas(Collection<ObjectNode> replicaSets) {
        return replicaSets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::replicas).sum();
    }

    static int sum(Collection<ObjectNode> replicaSets, java.util.function.ToIntFunction<JsonNode> count) {
        return replicaSets.stream().filter(Objects::nonNull).mapToInt(count).sum();
    }
}
