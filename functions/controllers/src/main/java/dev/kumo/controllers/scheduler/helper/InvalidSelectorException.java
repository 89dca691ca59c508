package dev.kumo.controllers.scheduler.helper;

/** A selector in a pod or workload that cannot be read; the message is Kubernetes' own. */
public class InvalidSelectorException extends Exception {
    public InvalidSelectorException(String message) {
        super(message);
    }
}
