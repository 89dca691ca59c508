package dev.kumo.infra.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * A kubeconfig for a cluster in AWS: its server is the HTTP API's endpoint (API Gateway's certificate is signed by
 * Amazon's roots, which every system trusts, so no CA data), and its user an exec credential plugin that runs
 * {@code kumo token} for an IAM token, as {@code aws eks update-kubeconfig} writes one running
 * {@code aws eks get-token}.
 *
 * @param cluster    the cluster's name (the kubeconfig's cluster, user and context are named {@code kumo-<cluster>})
 * @param server     the API's URL
 * @param region     the cluster's region (the token's STS endpoint)
 * @param kumo       the kumo command kubectl runs (an absolute path, so it works from any directory)
 * @param awsProfile the AWS profile the plugin uses, or null for the default chain of kubectl's environment
 */
public record Kubeconfig(String cluster, String server, String region, String kumo, String awsProfile) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String name() {
        return "kumo-" + cluster;
    }

    /** The kubeconfig as YAML; every value is a double-quoted (JSON) scalar, which YAML reads as written. */
    public String render() {
        String env = awsProfile == null ? ""
                : "      env:\n      - name: AWS_PROFILE\n        value: " + quote(awsProfile) + "\n";
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: " + quote(name()) + "\n"
                + "  cluster:\n"
                + "    server: " + quote(server) + "\n"
                + "users:\n"
                + "- name: " + quote(name()) + "\n"
                + "  user:\n"
                + "    exec:\n"
                + "      apiVersion: \"client.authentication.k8s.io/v1\"\n"
                + "      command: " + quote(kumo) + "\n"
                + "      args: " + list(List.of("token", "--cluster", cluster, "--region", region)) + "\n"
                + env
                + "      interactiveMode: \"Never\"\n"
                + "      provideClusterInfo: false\n"
                + "contexts:\n"
                + "- name: " + quote(name()) + "\n"
                + "  context:\n"
                + "    cluster: " + quote(name()) + "\n"
                + "    user: " + quote(name()) + "\n"
                + "current-context: " + quote(name()) + "\n";
    }

    private static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String list(List<String> values) {
        return "[" + String.join(", ", values.stream().map(Kubeconfig::quote).toList()) + "]";
    }
}
