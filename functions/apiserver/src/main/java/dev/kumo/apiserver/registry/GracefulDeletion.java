package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A kind whose objects are not removed at once but marked and given time to stop (pods on a node). */
public interface GracefulDeletion {

    boolean needsGracefulDeletion(ObjectNode object, DeleteOptions options);

    long gracePeriodSeconds(ObjectNode object, DeleteOptions options);
}
