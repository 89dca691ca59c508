package dev.kumo.infra.nodes;

import dev.kumo.cloud.NodeTaint;
import software.amazon.awscdk.services.ec2.UserData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The boot script of a node (EC2 user data, run once by cloud-init as root on Amazon Linux 2023):
 * <ol>
 *   <li>containerd, runc, nftables and Amazon Corretto 21 from Amazon Linux 2023's own repositories; the CNI plugins
 *       from the containernetworking release archive (GitHub; nodes reach the internet through their subnet),
 *       checked against its pinned SHA-512;</li>
 *   <li>containerd's configuration and the agent's systemd unit, the files of {@code node-agent/src/main/dist/}
 *       (built into this module as resources, so the template carries exactly what the repository holds);</li>
 *   <li>the agent jar from its S3 asset, the instance's facts from IMDSv2, source/destination check off (the node
 *       forwards its pods' traffic), and the pod CIDR derived from the node's address;</li>
 *   <li>the API's URL and a bootstrap token from SSM parameters the node's role may read: the URL is a plain
 *       parameter the control plane stack writes, the token a SecureString ({@code ./kumo deploy} makes one), so
 *       no secret is in the user data or the template;</li>
 *   <li>the agent's settings, then {@code systemctl enable --now}.</li>
 * </ol>
 * The script logs to {@code /var/log/kumo-node-setup.log}; a failed step stops it ({@code set -euo pipefail}).
 */
public final class NodeUserData {
    static final String DIST = "/node-agent-dist/";
    public static final String SERVICE_FILE = "kumo-node-agent.service";
    public static final String CONTAINERD_FILE = "containerd-config.toml";
    /**
     * The taint the agent registers with, in the kubelet's {@code --register-with-taints} syntax: an EC2 node knows
     * nothing of its pool, so the cloud node controller gives it the pool's labels and taints as it lifts this one.
     */
    static final String UNINITIALIZED_TAINT = NodeTaint.UNINITIALIZED.key() + "=" + NodeTaint.UNINITIALIZED.value()
            + ":" + NodeTaint.UNINITIALIZED.effect();
    /** Amazon Linux 2023 packages the node needs; containerd and runc are in its repositories since 2023.0. */
    static final List<String> PACKAGES = List.of("containerd", "runc", "nftables", "iproute", "java-21-amazon-corretto-headless");

    private NodeUserData() {
    }

    /**
     * @param cluster             the cluster's name
     * @param architecture        picks the CNI archive
     * @param agentJarS3Url       {@code s3://bucket/key} of the agent's jar
     * @param apiEndpointParameter the SSM parameter holding the API's URL
     * @param tokenParameter      the SSM SecureString parameter holding the bootstrap token
     */
    public static UserData script(String cluster, NodeArchitecture architecture, String agentJarS3Url,
                                  String apiEndpointParameter, String tokenParameter) {
        UserData data = UserData.forLinux();
        data.addCommands(
                "set -euo pipefail",
                "exec > >(tee -a /var/log/kumo-node-setup.log) 2>&1",
                "echo \"kumo: setting up a node of cluster " + cluster + "\"",
                "dnf install -y " + String.join(" ", PACKAGES),
                "curl -fsSL --retry 5 -o /tmp/cni-plugins.tgz " + architecture.cniPluginsUrl(),
                "echo '" + architecture.cniPluginsSha512() + "  /tmp/cni-plugins.tgz' | sha512sum -c -",
                "mkdir -p /opt/cni/bin /etc/cni/net.d /etc/containerd /etc/kumo /opt/kumo /var/lib/kumo",
                "tar -C /opt/cni/bin -xzf /tmp/cni-plugins.tgz && rm -f /tmp/cni-plugins.tgz",
                heredoc("/etc/containerd/config.toml", dist(CONTAINERD_FILE)),
                heredoc("/etc/systemd/system/" + SERVICE_FILE, dist(SERVICE_FILE)),
                heredoc("/etc/modules-load.d/kumo.conf", "overlay\nbr_netfilter\n"),
                "modprobe overlay && modprobe br_netfilter",
                heredoc("/etc/sysctl.d/90-kumo.conf",
                        "net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n"),
                "sysctl --system >/dev/null",
                "systemctl enable --now containerd",
                "aws s3 cp --only-show-errors '" + agentJarS3Url + "' /opt/kumo/node-agent.jar",
                "imds_token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token"
                        + " -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
                "imds() { curl -fsS -H \"X-aws-ec2-metadata-token: $imds_token\""
                        + " \"http://169.254.169.254/latest/meta-data/$1\"; }",
                "region=$(imds placement/region); instance=$(imds instance-id)",
                "address=$(imds local-ipv4); name=$(imds local-hostname)",
                "aws ec2 modify-instance-attribute --region \"$region\" --instance-id \"$instance\" --no-source-dest-check",
                // The node's offset in the VPC's first /18 (14 bits) is its /24's index in 100.64.0.0/10.
                "IFS=. read -r _ _ o3 o4 <<<\"$address\"",
                "index=$(( ((o3 & 63) << 8) | o4 ))",
                "pod_cidr=\"100.$(( 64 + (index >> 8) )).$(( index & 255 )).0/24\"",
                "server=$(aws ssm get-parameter --region \"$region\" --name '" + apiEndpointParameter
                        + "' --query Parameter.Value --output text)",
                "umask 077",
                "aws ssm get-parameter --region \"$region\" --name '" + tokenParameter
                        + "' --with-decryption --query Parameter.Value --output text > /etc/kumo/bootstrap-token",
                "cat > /etc/kumo/node-agent.conf <<KUMO_EOF\n"
                        + "server=$server\n"
                        + "bootstrapTokenFile=/etc/kumo/bootstrap-token\n"
                        + "nodeName=$name\n"
                        + "address=$address\n"
                        + "podCidr=$pod_cidr\n"
                        + "clusterCidr=" + NodeNetwork.CLUSTER_CIDR + "\n"
                        // the cloud node controller lifts it as it gives the node its pool's labels and taints
                        + "registerWithTaints=" + UNINITIALIZED_TAINT + "\n"
                        + "KUMO_EOF",
                "systemctl daemon-reload",
                "systemctl enable --now kumo-node-agent",
                "echo \"kumo: node $name ($address, pods $pod_cidr) started its agent\"");
        return data;
    }

    /** A quoted heredoc (no expansion) writing {@code content} to {@code path}. */
    private static String heredoc(String path, String content) {
        String body = content.endsWith("\n") ? content : content + "\n";
        if (body.contains("\nKUMO_FILE\n")) {
            throw new IllegalArgumentException(path + "'s content holds the heredoc's delimiter");
        }
        return "cat > " + path + " <<'KUMO_FILE'\n" + body + "KUMO_FILE";
    }

    /** One of node-agent's {@code src/main/dist} files. */
    public static String dist(String name) {
        try (InputStream in = NodeUserData.class.getResourceAsStream(DIST + name)) {
            if (in == null) {
                throw new IllegalStateException("no " + DIST + name + " on the class path: infra-cdk's build copies "
                        + "node-agent/src/main/dist into its resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
