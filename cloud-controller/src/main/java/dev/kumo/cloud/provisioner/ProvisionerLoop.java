package dev.kumo.cloud.provisioner;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.CloudSettings;
import dev.kumo.cloud.Instances;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.ResyncSource;

import java.util.ArrayList;
import java.util.List;

/** The provisioner as a control loop: its name, keys, reconciler over the configured cloud, and resync. */
public final class ProvisionerLoop {
    public static final String NAME = "provisioner";
    /** The events' source, as cluster-autoscaler names itself in its. */
    public static final String COMPONENT = "kumo-provisioner";

    private ProvisionerLoop() {
    }

    public static ProvisionerKeys keys() {
        return new ProvisionerKeys();
    }

    public static ControlLoop loop(ControllerContext context) {
        return loop(context, CloudSettings.instances(context.settings()));
    }

    public static ControlLoop loop(ControllerContext context, Instances instances) {
        return new ControlLoop(NAME, keys(), new Provisioner(context.client(), instances, context.events(),
                context.clock()), resync(context.client()));
    }

    /** Every pool and the scale-up pass, on every tick: emptiness and TTLs are noticed by time. */
    static ResyncSource resync(KubeClient client) {
        return () -> {
            List<ObjectKey> keys = new ArrayList<>();
            client.list(ResourceType.NODE_POOLS, "", "", "").forEach(p -> keys.add(ProvisionerKeys.pool(Meta.name(p))));
            keys.add(ProvisionerKeys.SCALE_UP);
            return keys;
        };
    }
}
