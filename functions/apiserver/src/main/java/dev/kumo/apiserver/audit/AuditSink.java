package dev.kumo.apiserver.audit;

/**
 * Where audit events go: a store that fits the host (a JSON-lines file locally, CloudWatch Logs in AWS). Recording
 * must not fail the request it describes; a sink that cannot write says so in the log.
 */
public interface AuditSink {
    void record(AuditEvent event);
}
