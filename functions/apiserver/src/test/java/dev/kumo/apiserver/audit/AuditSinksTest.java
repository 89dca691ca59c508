package dev.kumo.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditSinksTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theFileIsRotatedBySizeKeepingTheNewestBackups() throws IOException {
        Path log = dir.resolve("audit.log");
        int lineBytes = line(0).length();
        try (FileAuditSink sink = new FileAuditSink(log, 3L * lineBytes, 2, MAPPER)) {
            for (int i = 0; i < 10; i++) {
                sink.record(event(i));
            }
        }
        // 3 events per file: 0-2, 3-5 were rotated away or kept; 6-8 in .1, 9 in the live file.
        assertThat(ids(log)).containsExactly("id-9");
        assertThat(ids(FileAuditSink.backup(log, 1))).containsExactly("id-6", "id-7", "id-8");
        assertThat(ids(FileAuditSink.backup(log, 2))).containsExactly("id-3", "id-4", "id-5");
        assertThat(FileAuditSink.backup(log, 3)).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    }

    @Test
    void anExistingFileIsAppendedToAndCountsTowardsItsSize() throws IOException {
        Path log = dir.resolve("audit.log");
        int lineBytes = line(0).length();
        try (FileAuditSink sink = new FileAuditSink(log, 2L * lineBytes, 1, MAPPER)) {
            sink.record(event(1));
        }
        try (FileAuditSink restarted = new FileAuditSink(log, 2L * lineBytes, 1, MAPPER)) {
            restarted.record(event(2));
            restarted.record(event(3));
        }
        assertThat(ids(FileAuditSink.backup(log, 1))).containsExactly("id-1", "id-2");
        assertThat(ids(log)).containsExactly("id-3");
    }

    @Test
    void standardOutputGetsOneMarkedJsonLinePerEvent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AuditSink sink = new StdoutAuditSink(new PrintStream(bytes, true, StandardCharsets.UTF_8), MAPPER);
        sink.record(event(1));
        sink.record(event(2));

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = MAPPER.readTree(lines[0]);
        assertThat(first.path("kumoLog").asText()).isEqualTo("audit");
        assertThat(first.path("kind").asText()).isEqualTo("Event");
        assertThat(first.path("auditID").asText()).isEqualTo("id-1");
        assertThat(first.path("objectRef").path("resource").asText()).isEqualTo("secrets");
    }

    @Test
    void theEnvironmentChoosesTheSink() {
        assertThat(AuditSinks.fromEnvironment(Map.of())).isInstanceOf(StdoutAuditSink.class);
        assertThat(AuditSinks.fromEnvironment(Map.of(AuditSinks.ENV_PATH, "-"))).isInstanceOf(StdoutAuditSink.class);
        assertThat(AuditSinks.fromEnvironment(Map.of(AuditSinks.ENV_PATH, dir.resolve("a.log").toString())))
                .isInstanceOf(FileAuditSink.class);
    }

    @Test
    void timestampsHaveMicrosecondsAsMetav1MicroTime() {
        assertThat(AuditEventJson.microTime(Instant.parse("2025-03-04T05:06:07Z"))).isEqualTo("2025-03-04T05:06:07.000000Z");
        assertThat(AuditEventJson.microTime(Instant.parse("2025-03-04T05:06:07.123456789Z")))
                .isEqualTo("2025-03-04T05:06:07.123456Z");
    }

    private static AuditEvent event(int i) {
        Instant at = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i);
        return new AuditEvent("id-" + i, "ResponseComplete", "/api/v1/namespaces/ns/secrets/s",
                RequestInfo.resource("get", "", "ns", "secrets", "", "s"), UserInfo.of("alice", "team"),
                "127.0.0.1", "test", 200, "", at, at);
    }

    private static String line(int i) throws IOException {
        return MAPPER.writeValueAsString(AuditEventJson.toJson(MAPPER, event(i))) + "\n";
    }

    private static List<String> ids(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            ids.add(MAPPER.readTree(line).path("auditID").asText());
        }
        return ids;
    }
}
