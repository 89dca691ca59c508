package dev.kumo.cloud;

/**
 * What a node of an instance type offers the scheduler, as Kubernetes quantities ({@code cpu}, {@code memory},
 * {@code ephemeral-storage}) and a pod count: the provisioner's template for nodes it has not launched yet.
 */
public record InstanceCapacity(String cpu, String memory, String ephemeralStorage, int pods) {
}
