package dev.kumo.apiserver.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Kubernetes' audit log backend ({@code --audit-log-path}): one JSON {@code Event} per line, appended to a file
 * that is rotated by size ({@code --audit-log-maxsize}): {@code audit.log} becomes {@code audit.log.1}, the older
 * backups shift up, and at most {@code maxBackups} are kept ({@code --audit-log-maxbackup}). Files are owner-only.
 */
public final class FileAuditSink implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileAuditSink.class);

    private final Path file;
    private final long maxBytes;
    private final int maxBackups;
    private final ObjectMapper mapper;
    private OutputStream out;
    private long size;

    public FileAuditSink(Path file, long maxBytes, int maxBackups, ObjectMapper mapper) {
        if (maxBytes <= 0 || maxBackups < 1) {
            throw new IllegalArgumentException("an audit log needs a positive size limit and at least one backup");
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.maxBackups = maxBackups;
        this.mapper = mapper;
    }

    /** The file of the {@code n}th backup (1 is the newest). */
    public static Path backup(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void record(AuditEvent event) {
        try {
            byte[] line = (mapper.writeValueAsString(AuditEventJson.toJson(mapper, event)) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            if (out == null) {
                open();
            }
            if (size > 0 && size + line.length > maxBytes) {
                rotate();
            }
            out.write(line);
            out.flush();
            size += line.length;
        } catch (IOException | RuntimeException e) {
            LOG.atError().setCause(e).addKeyValue("file", file).addKeyValue("auditID", event.auditId())
                    .addKeyValue("verb", event.request().verb()).addKeyValue("uri", event.requestUri())
                    .log("could not write an audit event");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private void open() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        close();
        Files.deleteIfExists(backup(file, maxBackups));
        for (int n = maxBackups - 1; n >= 1; n--) {
            if (Files.exists(backup(file, n))) {
                Files.move(backup(file, n), backup(file, n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, backup(file, 1), StandardCopyOption.REPLACE_EXISTING);
        LOG.atInfo().addKeyValue("file", file).addKeyValue("bytes", size).log("rotated the audit log");
        open();
    }
}
