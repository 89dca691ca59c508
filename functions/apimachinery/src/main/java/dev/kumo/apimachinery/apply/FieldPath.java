package dev.kumo.apimachinery.apply;

import java.util.ArrayList;
import java.util.List;

/** A path from the top of an object to one of its fields or list items, e.g. {@code .spec.containers[name="app"]}. */
public record FieldPath(List<PathElement> elements) {

    public FieldPath {
        elements = List.copyOf(elements);
    }

    public static FieldPath of(PathElement... elements) {
        return new FieldPath(List.of(elements));
    }

    /** A path through object fields only, e.g. {@code ofFields("spec", "replicas")}. */
    public static FieldPath ofFields(String... names) {
        List<PathElement> elements = new ArrayList<>();
        for (String name : names) {
            elements.add(new PathElement.Field(name));
        }
        return new FieldPath(elements);
    }

    public FieldPath append(PathElement element) {
        List<PathElement> longer = new ArrayList<>(elements);
        longer.add(element);
        return new FieldPath(longer);
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    /** The path as Kubernetes prints it in conflicts, e.g. {@code .spec.ports[containerPort=80,protocol="TCP"]}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        elements.forEach(text::append);
        return text.toString();
    }
}
