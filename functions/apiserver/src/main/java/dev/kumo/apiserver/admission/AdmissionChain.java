package dev.kumo.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.registry.WriteListener;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.util.List;

/**
 * The admission plugins in their order: all mutate first, then all validate, as kube-apiserver runs them. Plugins
 * that keep state about objects (caches) hear of committed writes through the chain.
 */
public final class AdmissionChain implements AdmissionPlugin, WriteListener {
    public static final AdmissionChain NONE = new AdmissionChain(List.of());

    private final List<AdmissionPlugin> plugins;
    private final List<WriteListener> listeners;

    public AdmissionChain(List<AdmissionPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
        this.listeners = this.plugins.stream().filter(WriteListener.class::isInstance)
                .map(WriteListener.class::cast).toList();
    }

    @Override
    public void admit(AdmissionRequest request) {
        plugins.forEach(plugin -> plugin.admit(request));
    }

    @Override
    public void validate(AdmissionRequest request) {
        plugins.forEach(plugin -> plugin.validate(request));
    }

    @Override
    public void created(ResourceDefinition def, ObjectNode object) {
        listeners.forEach(listener -> listener.created(def, object));
    }

    @Override
    public void updated(ResourceDefinition def, ObjectNode object, ObjectNode old) {
        listeners.forEach(listener -> listener.updated(def, object, old));
    }

    @Override
    public void deleted(ResourceDefinition def, ObjectNode object) {
        listeners.forEach(listener -> listener.deleted(def, object));
    }

    @Override
    public void createFailed(ResourceDefinition def, ObjectNode object) {
        listeners.forEach(listener -> listener.createFailed(def, object));
    }
}
