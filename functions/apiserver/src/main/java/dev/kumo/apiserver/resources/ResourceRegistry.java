package dev.kumo.apiserver.resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Looks up served resources by group, version and plural, and lists them for discovery. */
public final class ResourceRegistry {
    private final List<ResourceDefinition> all;
    private final Map<String, ResourceDefinition> byPath = new LinkedHashMap<>();

    public ResourceRegistry(List<ResourceDefinition> definitions) {
        this.all = List.copyOf(definitions);
        for (ResourceDefinition def : all) {
            byPath.put(def.groupVersion() + "/" + def.plural(), def);
        }
    }

    public Optional<ResourceDefinition> find(String group, String version, String plural) {
        String groupVersion = group.isEmpty() ? version : group + "/" + version;
        return Optional.ofNullable(byPath.get(groupVersion + "/" + plural));
    }

    public List<ResourceDefinition> all() {
        return all;
    }

    /** Group names in the order discovery lists them (first defined first), without the core group. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (ResourceDefinition def : all) {
            if (!def.group().isEmpty() && !groups.contains(def.group())) {
                groups.add(def.group());
            }
        }
        return groups;
    }

    public List<ResourceDefinition> inGroupVersion(String group, String version) {
        return all.stream().filter(d -> d.group().equals(group) && d.version().equals(version)).toList();
    }

    public boolean servesGroupVersion(String group, String version) {
        return all.stream().anyMatch(d -> d.group().equals(group) && d.version().equals(version));
    }
}
