package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.SelectorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** A controller's {@code spec.selector}. */
public final class Selectors {
    private static final Logger LOG = LoggerFactory.getLogger(Selectors.class);

    private Selectors() {
    }

    /**
     * The controller's selector; empty (logged) when it does not parse, which no retry can fix, so a sync skips
     * the controller as Kubernetes does.
     */
    public static Optional<LabelSelector> of(JsonNode controller) {
        try {
            return Optional.of(LabelSelector.fromJson(controller.path("spec").path("selector")));
        } catch (SelectorException e) {
            LOG.atError().addKeyValue("kind", controller.path("kind").asText())
                    .addKeyValue("object", Meta.namespace(controller) + "/" + Meta.name(controller))
                    .setCause(e).log("invalid selector: not synced");
            return Optional.empty();
        }
    }

    /** The controller's selector, parsed once to match many objects; an invalid one matches nothing. */
    public static LabelSelector orNothing(JsonNode controller) {
        try {
            return LabelSelector.fromJson(controller.path("spec").path("selector"));
        } catch (SelectorException e) {
            return LabelSelector.NOTHING;
        }
    }

    /** Whether the controller's selector matches the object's labels (an invalid selector matches nothing). */
    public static boolean selects(JsonNode controller, JsonNode object) {
        return orNothing(controller).matches(object);
    }
}
