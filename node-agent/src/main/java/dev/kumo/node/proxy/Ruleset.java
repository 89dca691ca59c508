package dev.kumo.node.proxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One nftables transaction as {@code nft -f} reads it, one command a line, with the service port each line was
 * written for ("" for the table's own lines), so that a failure nft reports by line can be told by service.
 */
public record Ruleset(List<String> lines, List<String> owners) {
    /** nft's error locations: {@code /dev/stdin:12:34-56: Error: ...}. */
    private static final Pattern ERROR_LINE = Pattern.compile(":(\\d+):\\d+(?:-\\d+)?: Error");

    public Ruleset {
        lines = List.copyOf(lines);
        owners = List.copyOf(owners);
        if (lines.size() != owners.size()) {
            throw new IllegalArgumentException("every line needs an owner");
        }
    }

    public String text() {
        return String.join("\n", lines) + "\n";
    }

    /** The service ports the lines named in nft's {@code errors} were written for. */
    public Set<String> ownersOfErrors(String errors) {
        Set<String> named = new LinkedHashSet<>();
        Matcher matcher = ERROR_LINE.matcher(errors);
        while (matcher.find()) {
            int line = Integer.parseInt(matcher.group(1));
            if (line >= 1 && line <= owners.size() && !owners.get(line - 1).isEmpty()) {
                named.add(owners.get(line - 1));
            }
        }
        return named;
    }

    /** Collects the lines in order. */
    static final class Builder {
        private final List<String> lines = new ArrayList<>();
        private final List<String> owners = new ArrayList<>();

        Builder add(String owner, String line) {
            lines.add(line);
            owners.add(owner);
            return this;
        }

        Ruleset build() {
            return new Ruleset(lines, owners);
        }
    }
}
