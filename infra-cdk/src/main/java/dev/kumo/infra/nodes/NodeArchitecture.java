package dev.kumo.infra.nodes;

import software.amazon.awscdk.services.ec2.InstanceType;

/**
 * A node CPU architecture: the Amazon Linux 2023 image's public SSM parameter, the default instance type of the
 * launch template, and the CNI plugins' release archive with its SHA-512 (from the release's
 * {@code .sha512} files, as Cilium's {@code images/runtime/cni-version.sh} pins them for v1.4.0).
 */
public enum NodeArchitecture {
    ARM64("arm64", "arm64", "t4g.small",
            "ef867f1a72d79fa13d65777cc150d3e0816a747a7e6eefe9ba5ca4c48f6591bf264702990b06e3898000f9ccd15b3b2492f697d0f74b77b7267cda93e2633074"),
    X86_64("x86_64", "amd64", "t3.small",
            "993cf3284c6ffe5d803692de033d17941cffad8e58a1d8b8a41bba850eaf51a90c8a590b3e61c428a350aae39bcf77ec3901a64a71f6767e8e82c262671362c0");

    public static final String CNI_PLUGINS_VERSION = "v1.4.0";

    private final String amiSuffix;
    private final String goArch;
    private final String defaultInstanceType;
    private final String cniSha512;

    NodeArchitecture(String amiSuffix, String goArch, String defaultInstanceType, String cniSha512) {
        this.amiSuffix = amiSuffix;
        this.goArch = goArch;
        this.defaultInstanceType = defaultInstanceType;
        this.cniSha512 = cniSha512;
    }

    /** From the context value {@code arm64} or {@code x86_64}. */
    public static NodeArchitecture of(String name) {
        return switch (name) {
            case "arm64" -> ARM64;
            case "x86_64", "amd64" -> X86_64;
            default -> throw new IllegalArgumentException("a node architecture is arm64 or x86_64, not '" + name + "'");
        };
    }

    /** Amazon Linux 2023's latest AMI for this architecture, a public parameter in every region. */
    public String amiParameter() {
        return "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-" + amiSuffix;
    }

    /** The launch template's instance type; the cloud provider overrides it per node pool. */
    public InstanceType defaultInstanceType() {
        return new InstanceType(defaultInstanceType);
    }

    public String cniPluginsUrl() {
        return "https://github.com/containernetworking/plugins/releases/download/" + CNI_PLUGINS_VERSION
                + "/cni-plugins-linux-" + goArch + "-" + CNI_PLUGINS_VERSION + ".tgz";
    }

    public String cniPluginsSha512() {
        return cniSha512;
    }
}
