package dev.kumo.cloud;

/** EC2's instance lifecycle, which the local provider follows too. */
public enum InstanceState {
    PENDING, RUNNING, STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED;

    /** Whether a node on this instance can still come back (cloud-controller-manager deletes the Node otherwise). */
    public boolean exists() {
        return this != SHUTTING_DOWN && this != TERMINATED;
    }
}
