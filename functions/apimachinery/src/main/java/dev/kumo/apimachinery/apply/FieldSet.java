package dev.kumo.apimachinery.apply;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * An immutable set of {@link FieldPath}s, stored as a tree: at each level the path elements that are
 * themselves members, and the children under which longer members live. A path can be a member and have
 * members below it (an owned list item and its owned fields).
 */
public final class FieldSet {

    private static final FieldSet EMPTY = new FieldSet(new TreeSet<>(), new TreeMap<>());

    private final NavigableSet<PathElement> members;
    private final NavigableMap<PathElement, FieldSet> children;

    private FieldSet(NavigableSet<PathElement> members, NavigableMap<PathElement, FieldSet> children) {
        this.members = Collections.unmodifiableNavigableSet(members);
        this.children = Collections.unmodifiableNavigableMap(children);
    }

    /** Builds a set from members and children, dropping empty children. */
    static FieldSet of(NavigableSet<PathElement> members, Map<PathElement, FieldSet> children) {
        TreeMap<PathElement, FieldSet> nonEmpty = new TreeMap<>();
        children.forEach((element, child) -> {
            if (!child.isEmpty()) {
                nonEmpty.put(element, child);
            }
        });
        if (members.isEmpty() && nonEmpty.isEmpty()) {
            return EMPTY;
        }
        return new FieldSet(new TreeSet<>(members), nonEmpty);
    }

    public static FieldSet empty() {
        return EMPTY;
    }

    public static FieldSet of(FieldPath... paths) {
        return of(List.of(paths));
    }

    public static FieldSet of(Collection<FieldPath> paths) {
        Builder builder = new Builder();
        paths.forEach(builder::insert);
        return builder.build();
    }

    NavigableSet<PathElement> members() {
        return members;
    }

    NavigableMap<PathElement, FieldSet> children() {
        return children;
    }

    /** The members below {@code element}, relative to it. */
    public FieldSet child(PathElement element) {
        return children.getOrDefault(element, EMPTY);
    }

    public boolean isEmpty() {
        return members.isEmpty() && children.isEmpty();
    }

    public boolean contains(FieldPath path) {
        FieldSet level = this;
        List<PathElement> elements = path.elements();
        for (int i = 0; i < elements.size() - 1; i++) {
            level = level.child(elements.get(i));
        }
        return !elements.isEmpty() && level.members.contains(elements.get(elements.size() - 1));
    }

    public FieldSet union(FieldSet other) {
        NavigableSet<PathElement> union = new TreeSet<>(members);
        union.addAll(other.members);
        return of(union, combineChildren(other, true, FieldSet::union));
    }

    public FieldSet intersection(FieldSet other) {
        NavigableSet<PathElement> common = new TreeSet<>(members);
        common.retainAll(other.members);
        return of(common, combineChildren(other, false, FieldSet::intersection));
    }

    /** The members of this set that are not members of {@code other}; members below them are kept. */
    public FieldSet difference(FieldSet other) {
        NavigableSet<PathElement> left = new TreeSet<>(members);
        left.removeAll(other.members);
        Map<PathElement, FieldSet> kept = new TreeMap<>();
        children.forEach((element, child) -> kept.put(element, child.difference(other.child(element))));
        return of(left, kept);
    }

    /** Like {@link #difference}, but a member of {@code other} also removes everything below it. */
    public FieldSet recursiveDifference(FieldSet other) {
        NavigableSet<PathElement> left = new TreeSet<>(members);
        left.removeAll(other.members);
        Map<PathElement, FieldSet> kept = new TreeMap<>();
        children.forEach((element, child) -> {
            if (!other.members.contains(element)) {
                kept.put(element, child.recursiveDifference(other.child(element)));
            }
        });
        return of(left, kept);
    }

    private Map<PathElement, FieldSet> combineChildren(FieldSet other, boolean keepUnmatched,
                                                       BiFunction<FieldSet, FieldSet, FieldSet> combine) {
        Map<PathElement, FieldSet> combined = new TreeMap<>();
        children.forEach((element, child) -> {
            FieldSet theirs = other.children.get(element);
            if (theirs != null) {
                combined.put(element, combine.apply(child, theirs));
            } else if (keepUnmatched) {
                combined.put(element, child);
            }
        });
        if (keepUnmatched) {
            other.children.forEach(combined::putIfAbsent);
        }
        return combined;
    }

    /** Every member, each level's own members before those of its children, as Kubernetes lists them. */
    public List<FieldPath> paths() {
        List<FieldPath> paths = new ArrayList<>();
        collect(new FieldPath(List.of()), paths);
        return paths;
    }

    private void collect(FieldPath prefix, List<FieldPath> paths) {
        members.forEach(member -> paths.add(prefix.append(member)));
        children.forEach((element, child) -> child.collect(prefix.append(element), paths));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldSet that && members.equals(that.members) && children.equals(that.children);
    }

    @Override
    public int hashCode() {
        return 31 * members.hashCode() + children.hashCode();
    }

    @Override
    public String toString() {
        return paths().toString();
    }

    /** Collects paths into a set. */
    public static final class Builder {
        private final NavigableSet<PathElement> members = new TreeSet<>();
        private final Map<PathElement, Builder> children = new TreeMap<>();

        public Builder insert(FieldPath path) {
            return insert(path.elements());
        }

        Builder insert(List<PathElement> elements) {
            if (elements.isEmpty()) {
                return this;
            }
            Builder level = this;
            for (int i = 0; i < elements.size() - 1; i++) {
                level = level.children.computeIfAbsent(elements.get(i), e -> new Builder());
            }
            level.members.add(elements.get(elements.size() - 1));
            return this;
        }

        public FieldSet build() {
            Map<PathElement, FieldSet> built = new TreeMap<>();
            children.forEach((element, child) -> built.put(element, child.build()));
            return of(members, built);
        }
    }
}
