package dev.kumo.local.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apiserver.audit.AuditEvent;
import dev.kumo.apiserver.audit.FileAuditSink;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditQueryTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path home;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void writeLog() throws Exception {
        // Small files so the events spread over the live log and two rotated backups.
        try (FileAuditSink sink = new FileAuditSink(home.resolve("audit.log"), 1200, 5, MAPPER)) {
            sink.record(event("e1", "alice", "create", "", "default", "configmaps", "", "settings", 201, 60));
            sink.record(event("e2", "alice", "get", "", "default", "secrets", "", "db", 200, 50));
            sink.record(event("e3", "bob", "delete", "apps", "web", "deployments", "", "front", 200, 40));
            sink.record(event("e4", "bob", "get", "", "web", "pods", "log", "front-1", 403, 20));
            sink.record(event("e5", "carol", "update", "", "web", "pods", "status", "front-1", 200, 5));
            sink.record(event("e6", "system:anonymous", "list", "", "", "namespaces", "", "", 401, 1));
        }
        assertThat(AuditQuery.logFiles(home.resolve("audit.log"))).hasSizeGreaterThan(2);
    }

    @Test
    void withoutFiltersEveryEventIsShownOldestFirst() {
        assertThat(ids()).containsExactly("e1", "e2", "e3", "e4", "e5", "e6");
    }

    @Test
    void eachFilterNarrowsTheEvents() {
        assertThat(ids("--user", "bob")).containsExactly("e3", "e4");
        assertThat(ids("--verb", "GET")).containsExactly("e2", "e4");
        assertThat(ids("--resource", "pods")).containsExactly("e4", "e5");
        assertThat(ids("--resource", "pods/status")).containsExactly("e5");
        assertThat(ids("--resource", "deployments.apps")).containsExactly("e3");
        assertThat(ids("--namespace", "web")).containsExactly("e3", "e4", "e5");
        assertThat(ids("--since", "30m")).containsExactly("e4", "e5", "e6");
        assertThat(ids("--since", "1h", "--user", "alice", "--resource", "secrets")).containsExactly("e2");
        assertThat(ids("--user", "nobody")).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No audit events found.");
    }

    @Test
    void theTableShowsWhoDidWhatToWhichObjectWithWhatOutcome() {
        assertThat(AuditQuery.run(args("--user", "bob"), print(out), print(err), clock())).isZero();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("USER", "VERB", "RESOURCE", "NAMESPACE", "NAME", "CODE");
        assertThat(lines.get(1).split(" +")).containsExactly("2025-06-01T11:20:00.000000Z", "bob", "delete",
                "deployments", "web", "front", "200");
        assertThat(lines.get(2).split(" +")).containsExactly("2025-06-01T11:40:00.000000Z", "bob", "get",
                "pods/log", "web", "front-1", "403");
    }

    @Test
    void wrongUsageAndAMissingLogSayWhatIsWrong() {
        assertThat(AuditQuery.run(args("--since", "ten minutes"), print(out), print(err), clock())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--since wants a duration such as 30s, 10m, 2h or 1d");
        assertThat(AuditQuery.run(new String[]{"--home", home.resolve("none").toString()}, print(out), print(err),
                clock())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no audit log at " + home.resolve("none/audit.log"));
    }

    @Test
    void durationsReadLikeKubectls() {
        assertThat(AuditQuery.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(AuditQuery.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(AuditQuery.duration("2d")).isEqualTo(Duration.ofDays(2));
        assertThatThrownBy(() -> AuditQuery.duration("10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditQuery.duration("10m5")).isInstanceOf(IllegalArgumentException.class);
    }

    private List<String> ids(String... filters) {
        out.reset();
        String[] all = Arrays.copyOf(args(filters), args(filters).length + 2);
        all[all.length - 2] = "-o";
        all[all.length - 1] = "json";
        assertThat(AuditQuery.run(all, print(out), print(err), clock())).isZero();
        return out.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return MAPPER.readTree(line).path("auditID").asText();
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }

    private String[] args(String... rest) {
        String[] all = new String[rest.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    private static AuditEvent event(String id, String user, String verb, String group, String namespace,
                                    String resource, String subresource, String name, int code, int minutesAgo) {
        Instant at = NOW.minus(Duration.ofMinutes(minutesAgo));
        RequestInfo info = new RequestInfo(true, "/x", verb, group, "v1", namespace, resource, subresource, name, "");
        return new AuditEvent(id, "ResponseComplete", "/x", info, UserInfo.of(user), "127.0.0.1", "test", code, "",
                at, at);
    }
}
