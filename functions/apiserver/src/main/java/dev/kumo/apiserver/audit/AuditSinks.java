package dev.kumo.apiserver.audit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.Map;

/**
 * The audit sink a function's environment asks for, with kube-apiserver's flags as variables:
 * {@code KUMO_AUDIT_LOG} (a file; {@code -} or unset: standard output, which in AWS is the function's CloudWatch
 * log group), {@code KUMO_AUDIT_LOG_MAXSIZE} (megabytes before rotation, default 100) and
 * {@code KUMO_AUDIT_LOG_MAXBACKUP} (rotated files kept, default 5).
 */
public final class AuditSinks {
    public static final String ENV_PATH = "KUMO_AUDIT_LOG";
    public static final String ENV_MAX_SIZE_MB = "KUMO_AUDIT_LOG_MAXSIZE";
    public static final String ENV_MAX_BACKUPS = "KUMO_AUDIT_LOG_MAXBACKUP";

    private AuditSinks() {
    }

    public static AuditSink fromEnvironment(Map<String, String> env) {
        ObjectMapper mapper = new ObjectMapper();
        String path = env.get(ENV_PATH);
        if (path == null || path.isBlank() || path.strip().equals("-")) {
            return new StdoutAuditSink(System.out, mapper);
        }
        long maxMegabytes = Long.parseLong(env.getOrDefault(ENV_MAX_SIZE_MB, "100"));
        int maxBackups = Integer.parseInt(env.getOrDefault(ENV_MAX_BACKUPS, "5"));
        return new FileAuditSink(Path.of(path.strip()), maxMegabytes * 1024 * 1024, maxBackups, mapper);
    }
}
