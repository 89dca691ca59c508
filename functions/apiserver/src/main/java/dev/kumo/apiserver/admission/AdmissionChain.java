package dev.kumo.apiserver.admission;

import java.util.List;

/** The admission plugins in their order: all mutate first, then all validate, as kube-apiserver runs them. */
public final class AdmissionChain implements AdmissionPlugin {
    public static final AdmissionChain NONE = new AdmissionChain(List.of());

    private final List<AdmissionPlugin> plugins;

    public AdmissionChain(List<AdmissionPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    @Override
    public void admit(AdmissionRequest request) {
        plugins.forEach(plugin -> plugin.admit(request));
    }

    @Override
    public void validate(AdmissionRequest request) {
        plugins.forEach(plugin -> plugin.validate(request));
    }
}
