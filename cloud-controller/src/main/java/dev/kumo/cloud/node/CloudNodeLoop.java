package dev.kumo.cloud.node;

import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.CloudSettings;
import dev.kumo.cloud.InstanceLookup;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.apimachinery.client.events.EventRecorder;

/** The cloud node controllers as one control loop. */
public final class CloudNodeLoop {
    public static final String NAME = "cloud-node";
    /** The event source of node deletions, as cloud-controller-manager names that controller. */
    public static final String COMPONENT = "cloud-node-lifecycle-controller";

    private CloudNodeLoop() {
    }

    public static CloudNodeKeys keys() {
        return new CloudNodeKeys();
    }

    public static ControlLoop loop(ControllerContext context) {
        // It reads instances only: launching and terminating are the provisioner's.
        return loop(context, CloudSettings.instanceLookup(context.settings()));
    }

    public static ControlLoop loop(ControllerContext context, InstanceLookup instances) {
        EventRecorder events = context.events();
        return new ControlLoop(NAME, keys(), new CloudNodeController(context.client(), instances, events),
                () -> context.client().list(ResourceType.NODES, "", "", "").stream()
                        .map(node -> ObjectKey.cluster("nodes", Meta.name(node))).toList());
    }
}
