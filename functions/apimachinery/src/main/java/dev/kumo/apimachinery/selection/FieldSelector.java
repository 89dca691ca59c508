package dev.kumo.apimachinery.selection;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed field selector ({@code a=b}, {@code a==b}, {@code a!=b}, comma-joined). Which fields a resource supports
 * is the resource's business: it hands a function that extracts a supported field's value from an object.
 */
public record FieldSelector(List<Term> terms) {

    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    public record Term(String field, boolean equals, String value) {
    }

    public FieldSelector {
        terms = List.copyOf(terms);
    }

    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String term : selector.split(",")) {
            String t = term.trim();
            int at;
            if ((at = t.indexOf("!=")) > 0) {
                terms.add(new Term(t.substring(0, at).trim(), false, t.substring(at + 2).trim()));
            } else if ((at = t.indexOf("==")) > 0) {
                terms.add(new Term(t.substring(0, at).trim(), true, t.substring(at + 2).trim()));
            } else if ((at = t.indexOf('=')) > 0) {
                terms.add(new Term(t.substring(0, at).trim(), true, t.substring(at + 1).trim()));
            } else {
                throw new SelectorException("invalid field selector \"" + selector
                        + "\": each term must be field=value, field==value or field!=value");
            }
        }
        return new FieldSelector(terms);
    }

    /** Rejects fields the resource does not support, as Kubernetes does ("field label not supported"). */
    public FieldSelector requireSupported(Set<String> supported, String resource) {
        for (Term term : terms) {
            if (!supported.contains(term.field())) {
                throw new SelectorException("field label not supported: " + term.field() + " (resource " + resource
                        + " supports " + String.join(", ", new java.util.TreeSet<>(supported)) + ")");
            }
        }
        return this;
    }

    public boolean matches(JsonNode object, Function<String, String> fieldValue) {
        for (Term term : terms) {
            String actual = fieldValue.apply(term.field());
            boolean equal = term.value().equals(actual == null ? "" : actual);
            if (equal != term.equals()) {
                return false;
            }
        }
        return true;
    }
}
