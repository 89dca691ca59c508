package dev.kumo.local.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apiserver.audit.FileAuditSink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./kumo audit}: the local cluster's audit log ({@code $KUMO_HOME/audit.log} and its rotated backups,
 * oldest first), filtered, as a table or as the stored JSON lines ({@code -o json}, for jq).
 */
public final class AuditQuery {
    static final String USAGE = "usage: kumo audit [--user U] [--verb V] [--resource R] [--namespace N] "
            + "[--since DURATION] [-o table|json]\n"
            + "  --resource  pods, pods/log (with a subresource) or deployments.apps (with the group)\n"
            + "  --since     events of the last DURATION: 30s, 10m, 2h, 1d, 1h30m";
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)([smhd])");
    private static final String ROW = "%-27s  %-20s  %-16s  %-24s  %-16s  %-28s  %s%n";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditQuery() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Clock.systemUTC()));
    }

    /** Runs the command; returns its exit code (0 found or not, 1 no log, 2 wrong usage). */
    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        Path home = null;
        String user = null;
        String verb = null;
        String resource = null;
        String namespace = null;
        Instant since = null;
        boolean json = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--home" -> home = Path.of(value(args, ++i, arg));
                    case "--user" -> user = value(args, ++i, arg);
                    case "--verb" -> verb = value(args, ++i, arg);
                    case "--resource" -> resource = value(args, ++i, arg);
                    case "--namespace", "-n" -> namespace = value(args, ++i, arg);
                    case "--since" -> since = clock.instant().minus(duration(value(args, ++i, arg)));
                    case "-o", "--output" -> json = output(value(args, ++i, arg));
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (home == null) {
                throw new IllegalArgumentException("--home is required");
            }
        } catch (IllegalArgumentException e) {
            err.println("kumo audit: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Path log = home.resolve("audit.log");
        List<Path> files = logFiles(log);
        if (files.isEmpty()) {
            err.println("kumo audit: no audit log at " + log + " (the local cluster writes it once it served a "
                    + "write, a secret read or a refused request)");
            return 1;
        }
        AuditFilter filter = new AuditFilter(user, verb, resource, namespace, since);
        if (!json) {
            out.printf(ROW, "TIME", "USER", "VERB", "RESOURCE", "NAMESPACE", "NAME", "CODE");
        }
        int shown = 0;
        for (Path file : files) {
            shown += print(file, filter, json, out, err);
        }
        if (shown == 0) {
            err.println("No audit events found.");
        }
        return 0;
    }

    /** The rotated backups, oldest (highest number) first, then the live file. */
    static List<Path> logFiles(Path log) {
        List<Path> files = new ArrayList<>();
        for (int n = 1; Files.exists(FileAuditSink.backup(log, n)); n++) {
            files.addFirst(FileAuditSink.backup(log, n));
        }
        if (Files.exists(log)) {
            files.add(log);
        }
        return files;
    }

    private static int print(Path file, AuditFilter filter, boolean json, PrintStream out, PrintStream err) {
        int shown = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event;
                try {
                    event = MAPPER.readTree(line);
                } catch (IOException e) {
                    err.println("kumo audit: skipping " + file + " line " + number + ": not JSON");
                    continue;
                }
                if (!filter.matches(event)) {
                    continue;
                }
                shown++;
                if (json) {
                    out.println(line);
                } else {
                    JsonNode ref = event.path("objectRef");
                    String resource = ref.path("resource").asText("");
                    if (!ref.path("subresource").asText("").isEmpty()) {
                        resource += "/" + ref.path("subresource").asText();
                    }
                    out.printf(ROW, event.path("stageTimestamp").asText(), orDash(event.path("user").path("username")),
                            event.path("verb").asText(), resource.isEmpty() ? event.path("requestURI").asText() : resource,
                            orDash(ref.path("namespace")), orDash(ref.path("name")),
                            event.path("responseStatus").path("code").asText());
                }
            }
        } catch (IOException e) {
            err.println("kumo audit: cannot read " + file + ": " + e.getMessage());
        }
        return shown;
    }

    private static String orDash(JsonNode node) {
        String text = node.asText("");
        return text.isEmpty() ? "-" : text;
    }

    /** A duration as kubectl's --since takes it, plus days: 30s, 10m, 2h, 1d, 1h30m. */
    static Duration duration(String text) {
        Matcher part = DURATION_PART.matcher(text.toLowerCase(Locale.ROOT));
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.lookingAt()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = part.end();
            part.region(end, text.length());
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("--since wants a duration such as 30s, 10m, 2h or 1d, not '" + text + "'");
        }
        return total;
    }

    private static boolean output(String format) {
        return switch (format) {
            case "json" -> true;
            case "table", "wide" -> false;
            default -> throw new IllegalArgumentException("-o wants table or json, not '" + format + "'");
        };
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
