package dev.kumo.infra.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.IamToken;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.infra.controlplane.ControlPlaneStack;
import dev.kumo.infra.nodes.NodesStack;
import dev.kumo.node.join.BootstrapTokens;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code kumo node-token --aws}: makes a bootstrap token (kubeadm's format, a Secret in kube-system, expiring after
 * {@code --ttl}) through the deployed API as the caller (an IAM token, so the caller must be an admin), and stores
 * it in the nodes' SSM SecureString parameter, which only the nodes' role may read. Booting nodes fetch it; it is
 * never in user data or a template. Run it again before the TTL ends to rotate it: a node needs the token only to
 * join, then renews its own credential.
 */
final class NodeTokenCommand implements OpsMain.Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String usage() {
        return "kumo node-token --aws [--cluster NAME] [--region R] [--ttl 168h]";
    }

    @Override
    public Set<String> options() {
        return Set.of("--cluster", "--region", "--ttl");
    }

    @Override
    public void run(OpsArgs args, Map<String, String> env, SdkHttpClient http, PrintStream out) throws IOException {
        String cluster = args.get("--cluster", "kumo");
        String region = args.region(env);
        Duration ttl = parseTtl(args.get("--ttl", "168h"));
        AwsCredentialsIdentity credentials;
        try (DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build()) {
            credentials = provider.resolveCredentials();
        }
        AwsCall aws = new AwsCall(http, credentials, region, env);
        String stack = cluster + "-control-plane";
        URI server = URI.create(StackOutputs.require(StackOutputs.of(aws, stack), stack,
                ControlPlaneStack.OUTPUT_API_ENDPOINT));
        Clock clock = Clock.systemUTC();
        KubeClient api = new KubeClient(server, HttpClient.newHttpClient(),
                () -> IamToken.issue(credentials, cluster, IamToken.stsEndpoint(region), region, clock).token(),
                "kumo-node-token");
        BootstrapTokens.Token token = BootstrapTokens.create(api, clock, ttl,
                "kumo nodes of cluster " + cluster + " (kumo node-token --aws)");
        ObjectNode put = JSON.createObjectNode()
                .put("Name", NodesStack.bootstrapTokenParameter(cluster))
                .put("Value", token.token())
                .put("Type", "SecureString")
                .put("Overwrite", true)
                .put("Description", "kumo " + cluster + ": the nodes' bootstrap token (kube-system/"
                        + token.secretName() + ")");
        aws.json("ssm", "AmazonSSM.PutParameter", JSON.writeValueAsString(put));
        out.println("kumo: bootstrap token kube-system/" + token.secretName() + " (valid " + ttl.toHours()
                + " h) stored in SSM " + NodesStack.bootstrapTokenParameter(cluster) + "; nodes fetch it when they boot");
    }

    static Duration parseTtl(String value) {
        if (!value.matches("[1-9][0-9]{0,4}h")) {
            throw new IllegalArgumentException("--ttl wants hours, e.g. 24h or 168h, not '" + value + "'");
        }
        return Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
    }
}
