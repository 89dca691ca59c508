package dev.kumo.controllers.endpointslice;

import dev.kumo.controllers.endpoints.EndpointSubsets.Port;
import dev.kumo.controllers.endpoints.ServiceInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * kube's EndpointSlice reconciler for one address type, as a pure computation: given the service's slices and the
 * endpoints it should have (grouped by their set of ports), which slices to create, update and delete, with as
 * little churn as kube's: endpoints stay in the slice that holds them (updated in place when they changed), slices
 * that lost endpoints are filled up first, remaining endpoints go to the unchanged slice closest to full, and only
 * then to new slices of at most {@code maxEndpointsPerSlice}; a slice left empty is deleted, unless a create can
 * take it over (an update instead of a create and a delete). With no endpoints at all one empty placeholder slice
 * remains.
 */
final class SlicePlanner {
    /** A group of desired endpoints that offer the same ports. */
    record Group(List<Port> ports, Map<String, SliceEndpoint> endpoints) {
    }

    record Plan(List<Slice> create, List<Slice> update, List<Slice> delete) {
    }

    private final int maxEndpointsPerSlice;

    /** kube's {@code PortMapKey}: the same ports in any order group together. */
    static String portsKey(List<Port> ports) {
        return ports.stream().sorted(Port.ORDER).toList().toString();
    }

    SlicePlanner(int maxEndpointsPerSlice) {
        this.maxEndpointsPerSlice = maxEndpointsPerSlice;
    }

    /**
     * @param existing the service's slices of {@code addressType}
     * @param desired  the endpoints by {@link #portsKey} of their ports
     */
    Plan plan(ServiceInfo service, String addressType, List<Slice> existing, Map<String, Group> desired) {
        List<Slice> create = new ArrayList<>();
        List<Slice> update = new ArrayList<>();
        List<Slice> delete = new ArrayList<>();
        Map<String, List<Slice>> existingByPorts = new TreeMap<>();
        for (Slice slice : existing.stream().sorted(Comparator.comparing(Slice::name)).toList()) {
            if (slice.ownedBy(service)) {
                existingByPorts.computeIfAbsent(portsKey(slice.ports()), k -> new ArrayList<>()).add(slice);
            } else {
                delete.add(slice); // left by an earlier service of the same name
            }
        }
        for (Map.Entry<String, Group> group : new TreeMap<>(desired).entrySet()) {
            byPorts(service, addressType, existingByPorts.getOrDefault(group.getKey(), List.of()),
                    group.getValue(), create, update, delete);
        }
        existingByPorts.forEach((ports, slices) -> {
            if (!desired.containsKey(ports)) {
                delete.addAll(slices);
            }
        });
        if (existing.size() == delete.size() && create.isEmpty()) {
            Slice placeholder = Slice.create(service, List.of(), addressType);
            if (delete.size() == 1 && isPlaceholder(delete.getFirst(), placeholder)) {
                delete.clear(); // the placeholder is there already
            } else {
                create.add(placeholder);
            }
        }
        return reuseDeleted(service, create, update, delete);
    }

    private void byPorts(ServiceInfo service, String addressType, List<Slice> existing, Group group,
                         List<Slice> create, List<Slice> update, List<Slice> delete) {
        Map<String, SliceEndpoint> wanted = new TreeMap<>(group.endpoints());
        Map<String, Slice> byName = new LinkedHashMap<>();
        Set<String> unchanged = new LinkedHashSet<>();
        Set<String> toUpdate = new LinkedHashSet<>();
        // 1. Keep the endpoints still wanted where they are, drop the others.
        for (Slice slice : existing) {
            byName.put(slice.name(), slice);
            List<SliceEndpoint> kept = new ArrayList<>();
            boolean endpointChanged = false;
            for (SliceEndpoint endpoint : slice.endpoints()) {
                SliceEndpoint got = wanted.remove(endpoint.key());
                if (got != null) {
                    kept.add(got);
                    endpointChanged |= !got.equalBeyondKey(endpoint);
                }
            }
            Slice.DesiredLabels labels = Slice.labelsFor(slice.labels(), service);
            if (endpointChanged || kept.size() != slice.endpoints().size()) {
                if (kept.isEmpty()) {
                    delete.add(slice);
                } else {
                    Slice changed = slice.copy();
                    changed.endpoints().clear();
                    changed.endpoints().addAll(kept);
                    changed.setLabels(labels.labels());
                    byName.put(slice.name(), changed);
                    toUpdate.add(slice.name());
                }
            } else if (labels.changed()) {
                Slice changed = slice.copy();
                changed.setLabels(labels.labels());
                byName.put(slice.name(), changed);
                toUpdate.add(slice.name());
            } else {
                unchanged.add(slice.name());
            }
        }
        // 2. Fill the slices being updated anyway, fullest first.
        if (!wanted.isEmpty() && !toUpdate.isEmpty()) {
            List<Slice> filling = toUpdate.stream().map(byName::get)
                    .sorted(Comparator.comparingInt((Slice s) -> s.endpoints().size()).reversed()).toList();
            for (Slice slice : filling) {
                fill(slice, wanted);
            }
        }
        // 3. The rest into the unchanged slice closest to full that can take them all, else into new slices.
        while (!wanted.isEmpty()) {
            Slice target = null;
            if (wanted.size() < maxEndpointsPerSlice && !unchanged.isEmpty()) {
                target = closestToFull(unchanged.stream().map(byName::get).toList(), wanted.size());
            }
            if (target == null) {
                target = Slice.create(service, group.ports(), addressType);
            } else {
                target = target.copy();
                byName.put(target.name(), target);
            }
            fill(target, wanted);
            if (target.isNew()) {
                create.add(target);
            } else {
                toUpdate.add(target.name());
                unchanged.remove(target.name());
            }
        }
        toUpdate.forEach(name -> update.add(byName.get(name)));
    }

    private void fill(Slice slice, Map<String, SliceEndpoint> wanted) {
        var next = wanted.entrySet().iterator();
        while (next.hasNext() && slice.endpoints().size() < maxEndpointsPerSlice) {
            slice.endpoints().add(next.next().getValue());
            next.remove();
        }
    }

    /** kube's {@code getSliceToFill}: the slice that would be closest to full after taking {@code count}. */
    private Slice closestToFull(List<Slice> slices, int count) {
        int closest = maxEndpointsPerSlice;
        Slice best = null;
        for (Slice slice : slices) {
            int room = maxEndpointsPerSlice - (count + slice.endpoints().size());
            if (room >= 0 && room < closest) {
                closest = room;
                best = slice;
                if (room == 0) {
                    break;
                }
            }
        }
        return best;
    }

    /** kube's {@code placeholderSliceCompare}: namespace, labels, owners, address type, no endpoints or ports. */
    private static boolean isPlaceholder(Slice existing, Slice placeholder) {
        return existing.labels().equals(placeholder.labels()) && existing.endpoints().isEmpty()
                && existing.ports().isEmpty() && existing.addressType().equals(placeholder.addressType())
                && existing.base().path("metadata").path("ownerReferences")
                .equals(placeholder.base().path("metadata").path("ownerReferences"));
    }

    /** kube's {@code finalize}: a create and a delete of the same address type become one update. */
    private static Plan reuseDeleted(ServiceInfo service, List<Slice> create, List<Slice> update,
                                     List<Slice> delete) {
        List<Slice> creates = new ArrayList<>(create);
        List<Slice> updates = new ArrayList<>(update);
        List<Slice> deletes = new ArrayList<>(delete);
        for (int i = 0; i < deletes.size() && !creates.isEmpty(); ) {
            Slice toDelete = deletes.get(i);
            Slice toCreate = creates.getLast();
            if (toDelete.addressType().equals(toCreate.addressType()) && toDelete.ownedBy(service)) {
                updates.add(toDelete.takeContentOf(toCreate));
                creates.removeLast();
                deletes.remove(i);
            } else {
                i++;
            }
        }
        return new Plan(List.copyOf(creates), List.copyOf(updates), List.copyOf(deletes));
    }
}
