package dev.kumo.apiserver.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;

/**
 * Audit events as JSON lines on standard output, where Lambda sends them to the function's CloudWatch log group.
 * Each line carries {@code "kumoLog":"audit"} so that CloudWatch Logs Insights can pick them out of the other log
 * lines ({@code filter kumoLog = "audit"}); the rest is the {@code audit.k8s.io/v1} Event.
 */
public final class StdoutAuditSink implements AuditSink {
    public static final String MARKER_FIELD = "kumoLog";
    public static final String MARKER_VALUE = "audit";
    private static final Logger LOG = LoggerFactory.getLogger(StdoutAuditSink.class);

    private final PrintStream out;
    private final ObjectMapper mapper;

    public StdoutAuditSink(PrintStream out, ObjectMapper mapper) {
        this.out = out;
        this.mapper = mapper;
    }

    @Override
    public void record(AuditEvent event) {
        try {
            ObjectNode line = mapper.createObjectNode().put(MARKER_FIELD, MARKER_VALUE);
            line.setAll(AuditEventJson.toJson(mapper, event));
            String text = mapper.writeValueAsString(line);
            synchronized (out) {
                out.println(text);
                out.flush();
            }
            if (out.checkError()) {
                LOG.atError().addKeyValue("auditID", event.auditId()).log("standard output refused an audit event");
            }
        } catch (Exception e) {
            LOG.atError().setCause(e).addKeyValue("auditID", event.auditId()).addKeyValue("uri", event.requestUri())
                    .log("could not write an audit event");
        }
    }
}
