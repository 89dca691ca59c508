package dev.kumo.apiserver.protobuf.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.openapi.kubectl.Kubectl;
import dev.kumo.apiserver.openapi.kubectl.LoopbackServer;
import dev.kumo.apiserver.protobuf.KubernetesProtobuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl 1.32 sends its imperative {@code create} commands as protobuf. Each test decodes what kubectl
 * sent and compares it with the object kubectl prints for the same command with {@code --dry-run=client -o json}:
 * what kubectl meant. The server answers in protobuf (kubectl asks for it), so kubectl's success message also
 * shows it read the codec's encoding.
 */
@Tag("slow")
class KubectlProtobufTest {
    private static final String VERSION = "1.32";
    private static final KubernetesProtobuf PROTOBUF = KubernetesProtobuf.load();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CreationHandler API = new CreationHandler(PROTOBUF);
    private static LoopbackServer server;

    @TempDir
    Path work;
    private Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = new LoopbackServer(API);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void kubectl() throws Exception {
        kubectl = new Kubectl(VERSION, server.url(), work);
        assumeTrue(kubectl.installed(), "no kubectl." + VERSION + " in " + Kubectl.DIRECTORY);
    }

    @Test
    void createConfigMap() throws Exception {
        ObjectNode sent = create("configmap/x created", "/api/v1/namespaces/default/configmaps",
                "create", "configmap", "x", "--from-literal=a=b");

        assertThat(sent.at("/metadata/name").asText()).isEqualTo("x");
        assertThat(sent.get("data")).isEqualTo(JSON.readTree("{\"a\": \"b\"}"));
    }

    @Test
    void createSecretWithBinaryData() throws Exception {
        Path key = work.resolve("key.bin");
        Files.write(key, new byte[]{0, (byte) 0xff, 0x10, (byte) 0x80});

        ObjectNode sent = create("secret/s created", "/api/v1/namespaces/default/secrets",
                "create", "secret", "generic", "s", "--from-literal=password=b", "--from-file=key=" + key);

        assertThat(sent.get("data")).isEqualTo(JSON.readTree("{\"password\": \"Yg==\", \"key\": \"AP8QgA==\"}"));
    }

    @Test
    void createDeployment() throws Exception {
        ObjectNode sent = create("deployment.apps/web created", "/apis/apps/v1/namespaces/default/deployments",
                "create", "deployment", "web", "--image=nginx:1.27");

        assertThat(sent.at("/spec/replicas").intValue()).isEqualTo(1);
        assertThat(sent.at("/spec/selector/matchLabels")).isEqualTo(JSON.readTree("{\"app\": \"web\"}"));
        assertThat(sent.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
        assertThat(sent.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("nginx");
    }

    @Test
    void createClusterIpService() throws Exception {
        ObjectNode sent = create("service/s created", "/api/v1/namespaces/default/services",
                "create", "service", "clusterip", "s", "--tcp=80:8080");

        assertThat(sent.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(sent.at("/spec/ports")).isEqualTo(JSON.readTree(
                "[{\"name\": \"80-8080\", \"protocol\": \"TCP\", \"port\": 80, \"targetPort\": 8080}]"));
    }

    @Test
    void createNamespace() throws Exception {
        ObjectNode sent = create("namespace/n created", "/api/v1/namespaces", "create", "namespace", "n");

        assertThat(sent.at("/metadata/name").asText()).isEqualTo("n");
    }

    /**
     * Runs the command, checks kubectl sent protobuf to {@code path} and accepted protobuf back and printed
     * {@code success}, and returns the decoded body after checking it is the object of the client-side dry run.
     */
    private ObjectNode create(String success, String path, String... command) throws Exception {
        ObjectNode meant = dryRun(command);
        int postsBefore = API.posts().size();

        List<String> args = new ArrayList<>(List.of(command));
        args.add("--validate=false");
        Kubectl.Result result = kubectl.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().trim()).isEqualTo(success);
        List<CreationHandler.Post> posts = API.posts().subList(postsBefore, API.posts().size());
        assertThat(posts).hasSize(1);
        CreationHandler.Post post = posts.get(0);
        assertThat(post.path()).isEqualTo(path);
        assertThat(post.contentType()).isEqualTo(KubernetesProtobuf.MEDIA_TYPE);
        assertThat(post.accept()).contains(KubernetesProtobuf.MEDIA_TYPE);
        ObjectNode sent = PROTOBUF.decode(post.body());
        assertThat(sent).isEqualTo(meant);
        return sent;
    }

    /** The object kubectl prints for a client-side dry run, less its nulls (unset times), which decoding leaves out. */
    private ObjectNode dryRun(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--dry-run=client", "-o", "json"));
        Kubectl.Result result = kubectl.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.output()).isZero();
        ObjectNode object = (ObjectNode) JSON.readTree(result.output().substring(result.output().indexOf('{')));
        removeNulls(object);
        return object;
    }

    private static void removeNulls(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    fields.remove();
                } else {
                    removeNulls(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(KubectlProtobufTest::removeNulls);
        }
    }
}
