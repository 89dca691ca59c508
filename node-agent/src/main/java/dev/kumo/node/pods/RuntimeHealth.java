package dev.kumo.node.pods;

/** Whether the runtime can run pods (the node's Ready condition follows it), and why not when it cannot. */
public record RuntimeHealth(boolean ready, String message) {
    public static final RuntimeHealth READY = new RuntimeHealth(true, "");

    public static RuntimeHealth notReady(String message) {
        return new RuntimeHealth(false, message);
    }
}
