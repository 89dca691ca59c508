package dev.kumo.infra.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of a {@code kumo} AWS command: {@code --name value} pairs out of a known set. Wrong usage is an
 * {@link IllegalArgumentException} whose message the command prints before its usage line.
 */
final class OpsArgs {
    private final Map<String, String> values = new HashMap<>();

    OpsArgs(List<String> args, Set<String> known) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(known.contains(arg) ? arg + " needs a value" : "unknown option '" + arg + "'");
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "'");
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name, value);
        }
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** {@code --region}, else the SDK's environment ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION}). */
    String region(Map<String, String> env) {
        String region = values.get("--region");
        if (region == null) {
            region = firstSet(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"), env.get("CDK_DEFAULT_REGION"));
        }
        if (region == null) {
            throw new IllegalArgumentException("no region: pass --region or set AWS_REGION");
        }
        return region;
    }

    private static String firstSet(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.strip();
            }
        }
        return null;
    }
}
