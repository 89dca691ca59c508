package dev.kumo.apiserver.rest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.kumo.apimachinery.kubelet.KubeletApi;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.kubelet.PodStreams;
import dev.kumo.apiserver.lambda.ApiGatewayHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pods/log}, {@code pods/exec} and {@code pods/portforward} up to the point where the API server calls the
 * node: who may, which container, which options, which node (the node's side is in node-agent's PodStreamsTest).
 */
class PodStreamsRestTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
        KubeletNodes.withoutEndpoint(api, "quiet", "10.0.0.9");
        api.call("POST", "/api/v1/nodes", """
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "unpinned"},
                 "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.10"}],
                            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}}}}""");
        KubeletNodes.unreachable(api, "gone");
        pod("one", "quiet", "[{\"name\": \"app\", \"image\": \"busybox\"}]");
        pod("two", "quiet", "[{\"name\": \"a\", \"image\": \"busybox\"}, {\"name\": \"b\", \"image\": \"busybox\"}]");
        pod("pending", "", "[{\"name\": \"app\", \"image\": \"busybox\"}]");
        pod("unpinned", "unpinned", "[{\"name\": \"app\", \"image\": \"busybox\"}]");
        pod("gone", "gone", "[{\"name\": \"app\", \"image\": \"busybox\"}]");
    }

    private static void pod(String name, String node, String containers) {
        TestApi.Answer created = api.call("POST", "/api/v1/namespaces/default/pods", """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s"},
                 "spec": {%s"containers": %s}}""".formatted(name,
                node.isEmpty() ? "" : "\"nodeName\": \"" + node + "\", ", containers));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    private static String message(String path, int status) {
        TestApi.Answer answer = api.call("GET", path, null);
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        return answer.body().path("message").asText();
    }

    @Test
    void aNodeThatServesNoEndpointOrPublishedNoCertificateIsNamed() {
        assertThat(message("/api/v1/namespaces/default/pods/one/log", 400))
                .startsWith("node \"quiet\" serves no kubelet endpoint (its port is 0)");
        assertThat(message("/api/v1/namespaces/default/pods/unpinned/log", 400))
                .isEqualTo("node \"unpinned\" has not published the certificate of its kubelet endpoint "
                        + "(annotation kumo.dev/kubelet-serving-certificate-sha256)");
    }

    @Test
    void aNodeThatCannotBeReachedIs502NamingIt() {
        assertThat(message("/api/v1/namespaces/default/pods/gone/log", 502))
                .startsWith("the kubelet endpoint of node \"gone\" at 127.0.0.1:1 cannot be reached");
    }

    @Test
    void thePodOfNoNodeHasAnEmptyLog() {
        TestApi.Answer answer = api.call("GET", "/api/v1/namespaces/default/pods/pending/log", null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).isEmpty();
        assertThat(message("/api/v1/namespaces/default/pods/pending/exec?command=true", 400))
                .isEqualTo("pod pending does not have a host assigned");
    }

    @Test
    void theContainerIsChosenAsKubeApiserverChoosesIt() {
        assertThat(message("/api/v1/namespaces/default/pods/two/log", 400))
                .isEqualTo("a container name must be specified for pod two, choose one of: [a b]");
        assertThat(message("/api/v1/namespaces/default/pods/two/log?container=c", 400))
                .isEqualTo("container c is not valid for pod two");
        assertThat(message("/api/v1/namespaces/default/pods/nope/log", 404)).isEqualTo("pods \"nope\" not found");
    }

    @Test
    void logOptionsAreValidated() {
        assertThat(message("/api/v1/namespaces/default/pods/one/log?tailLines=-1&limitBytes=0", 422))
                .isEqualTo("PodLogOptions \"one\" is invalid: tailLines: Invalid value: \"-1\": must be greater than or "
                        + "equal to 0, limitBytes: Invalid value: \"0\": must be greater than 0");
        assertThat(message("/api/v1/namespaces/default/pods/one/log?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z",
                422)).contains("at most one of `sinceTime` or `sinceSeconds` may be specified");
    }

    @Test
    void execNeedsAnUpgradeACommandAndTheRightVerb() {
        assertThat(message("/api/v1/namespaces/default/pods/one/exec", 400))
                .isEqualTo("you must specify at least 1 command");
        assertThat(message("/api/v1/namespaces/default/pods/one/exec?command=true", 400))
                .isEqualTo("Upgrade request required");
        assertThat(api.call("PUT", "/api/v1/namespaces/default/pods/one/exec?command=true", "{}").status())
                .isEqualTo(405);
    }

    @Test
    void anUpgradeIsHandedToTheHost() {
        ApiResponse response = api.respond("POST", "/api/v1/namespaces/default/pods/gone/exec?command=true", null,
                null, Map.of("Connection", "Upgrade", "Upgrade", "SPDY/3.1"));
        assertThat(response).isInstanceOf(ApiResponse.Upgrade.class);
        ApiResponse.Complete refusal = (ApiResponse.Complete) PodStreams.cannotUpgrade("API Gateway",
                "use the node instead");
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(new String(refusal.body())).contains("which API Gateway cannot carry; use the node instead");
    }

    /** Through API Gateway the upgrade cannot happen: the answer says where to go instead (README's SSM steps). */
    @Test
    void apiGatewayAnswersAnExecWithTheWayThatWorksInstead() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRawPath("/api/v1/namespaces/default/pods/gone/exec").withRawQueryString("command=sh")
                .withHeaders(Map.of("Authorization", "Bearer " + TestApi.ADMIN_TOKEN, "Connection", "Upgrade",
                        "Upgrade", "SPDY/3.1"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build())
                        .build())
                .build();
        ApiGatewayHandler handler = new ApiGatewayHandler(api.server);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("\"kind\":\"Status\"").contains("which API Gateway cannot carry; "
                + "reach the pod through its node with AWS Systems Manager Session Manager instead");

        // the same answer when the upgrade headers do not reach the function
        event.setHeaders(Map.of("Authorization", "Bearer " + TestApi.ADMIN_TOKEN));
        response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("which API Gateway cannot carry");
        // while what is wrong with the request itself is still said as such
        event.setRawQueryString("");
        assertThat(handler.handleRequest(event, null).getBody()).contains("you must specify at least 1 command")
                .doesNotContain("API Gateway");
        event.setRawPath("/api/v1/namespaces/default/pods/pending/portforward");
        assertThat(handler.handleRequest(event, null).getBody()).contains("pod pending does not have a host assigned");
    }

    @Test
    void viewersMayReadLogsEditorsMayExecOthersNeither() {
        api.call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "jane"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
                 "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]}""");
        api.call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "bob"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"},
                 "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bob"}]}""");
        String log = "/api/v1/namespaces/default/pods/one/log";
        String exec = "/api/v1/namespaces/default/pods/one/exec?command=true";
        String forward = "/api/v1/namespaces/default/pods/one/portforward";
        assertThat(api.callAs(TestApi.JANE_TOKEN, "GET", log, null).status()).isEqualTo(400); // allowed: the node
        assertThat(api.callAs(TestApi.JANE_TOKEN, "POST", exec, null).status()).isEqualTo(403);
        assertThat(api.callAs(TestApi.JANE_TOKEN, "POST", forward, null).status()).isEqualTo(403);
        assertThat(api.callAs(TestApi.BOB_TOKEN, "POST", exec, null).status()).isEqualTo(400);
        assertThat(api.callAs(TestApi.BOB_TOKEN, "POST", forward, null).status()).isEqualTo(400);
        assertThat(api.callAs(TestApi.NODE_A_TOKEN, "GET", log, null).status()).isEqualTo(403);
    }
}
