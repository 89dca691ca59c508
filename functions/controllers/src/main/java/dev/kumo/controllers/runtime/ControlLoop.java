package dev.kumo.controllers.runtime;

import java.util.Objects;

/**
 * One control loop as the hosts run it: its name (which names its queue and function, e.g. {@code replicaset}),
 * the keys a change calls for, the reconciler, and the keys to resync on the tick.
 */
public record ControlLoop(String name, KeyMapper keys, Reconciler reconciler, ResyncSource resync) {
    public ControlLoop {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(reconciler, "reconciler");
        Objects.requireNonNull(resync, "resync");
        if (!name.matches("[a-z][a-z0-9-]{0,39}")) {
            throw new IllegalArgumentException("a loop name is lower-case letters, digits and '-': " + name);
        }
    }
}
