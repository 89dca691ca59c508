package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Deployments and ReplicaSets: replicas, selector and template, with the defaults kubectl shows. */
public final class WorkloadStrategy implements Strategy {
    private final boolean deployment;

    private WorkloadStrategy(boolean deployment) {
        this.deployment = deployment;
    }

    public static WorkloadStrategy deployments() {
        return new WorkloadStrategy(true);
    }

    public static WorkloadStrategy replicaSets() {
        return new WorkloadStrategy(false);
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        object.remove("status");
        defaults(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        defaults(object);
    }

    private void defaults(ObjectNode object) {
        ObjectNode spec = Json.object(object, "spec");
        Json.defaultLong(spec, "replicas", 1);
        if (deployment) {
            Json.defaultLong(spec, "revisionHistoryLimit", 10);
            Json.defaultLong(spec, "progressDeadlineSeconds", 600);
            ObjectNode strategy = Json.object(spec, "strategy");
            Json.defaultText(strategy, "type", "RollingUpdate");
            if (strategy.path("type").asText().equals("RollingUpdate")) {
                ObjectNode rolling = Json.object(strategy, "rollingUpdate");
                Json.defaultText(rolling, "maxUnavailable", "25%");
                Json.defaultText(rolling, "maxSurge", "25%");
            }
        }
        ObjectNode template = Json.object(spec, "template");
        PodTemplateDefaults.apply(Json.object(template, "spec"));
        Json.object(template, "metadata").remove("creationTimestamp");
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = object.path("spec");
        if (spec.path("replicas").asLong(0) < 0) {
            errors.add(FieldError.invalid("spec.replicas", spec.path("replicas").asText(),
                    "must be greater than or equal to 0"));
        }
        JsonNode selector = spec.path("selector");
        if (selector.isMissingNode() || selector.isNull()
                || (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty())) {
            errors.add(FieldError.required("spec.selector", ""));
        } else {
            Map<String, String> templateLabels = Labels.of(spec.path("template"));
            boolean matches = true;
            for (Map.Entry<String, JsonNode> label : (Iterable<Map.Entry<String, JsonNode>>)
                    selector.path("matchLabels")::fields) {
                if (!label.getValue().asText().equals(templateLabels.get(label.getKey()))) {
                    matches = false;
                }
            }
            if (!matches) {
                errors.add(FieldError.invalid("spec.template.metadata.labels",
                        spec.path("template").path("metadata").path("labels").toString(),
                        "`selector` does not match template `labels`"));
            }
        }
        errors.addAll(PodTemplateDefaults.validate(spec.path("template").path("spec"), "spec.template.spec"));
        String strategy = spec.path("strategy").path("type").asText("RollingUpdate");
        if (deployment && !List.of("RollingUpdate", "Recreate").contains(strategy)) {
            errors.add(FieldError.notSupported("spec.strategy.type", strategy,
                    "supported values: \"Recreate\", \"RollingUpdate\""));
        }
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(object));
        if (!object.path("spec").path("selector").equals(old.path("spec").path("selector"))) {
            errors.add(FieldError.invalid("spec.selector", object.path("spec").path("selector").toString(),
                    "field is immutable"));
        }
        return errors;
    }
}
