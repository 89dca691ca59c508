package dev.kumo.cloud;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A part of the cloud a loop function may build from {@link CloudSettings}, and so the cloud permissions its role
 * carries. The control plane grants each cloud loop its parts (its function's {@value #ENV_PARTS} and the IAM
 * statements of each part); {@link CloudSettings} refuses to build a part the function was not granted, so that a loop
 * wired to a part its role lacks fails when its function starts, not with {@code AccessDenied} at its first call.
 */
public enum CloudPart {
    /** {@link Instances}: launch, list and terminate the cluster's instances. */
    INSTANCES,
    /** {@link InstanceLookup}: list and find them, nothing more. */
    INSTANCE_LOOKUP,
    /** {@link LoadBalancers}: the Services' load balancers. */
    LOAD_BALANCERS,
    /** {@link Routes}: pod CIDR routes to the nodes' instances. */
    ROUTES;

    /** The parts a function may build, comma-separated ({@code instances,routes}); unset: every part. */
    public static final String ENV_PARTS = "KUMO_CLOUD_PARTS";

    /** As {@value #ENV_PARTS} names it: {@code instance-lookup}, {@code load-balancers}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@value #ENV_PARTS}'s value for these parts. */
    public static String setting(Set<CloudPart> parts) {
        return parts.stream().sorted().map(CloudPart::settingName).collect(Collectors.joining(","));
    }

    /** The parts the settings grant: every part when {@value #ENV_PARTS} is unset (the local cluster's functions). */
    public static Set<CloudPart> granted(java.util.Map<String, String> settings) {
        String value = settings.get(ENV_PARTS);
        if (value == null) {
            return EnumSet.allOf(CloudPart.class);
        }
        Set<CloudPart> parts = EnumSet.noneOf(CloudPart.class);
        for (String name : value.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            parts.add(Arrays.stream(values()).filter(part -> part.settingName().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(ENV_PARTS + " names no cloud part \"" + name.strip()
                            + "\"; known: " + setting(EnumSet.allOf(CloudPart.class)))));
        }
        return parts;
    }
}
