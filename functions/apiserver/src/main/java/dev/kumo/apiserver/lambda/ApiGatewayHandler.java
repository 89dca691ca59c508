package dev.kumo.apiserver.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.kumo.apimachinery.kubelet.HttpHead;
import dev.kumo.apiserver.ApiServer;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.kubelet.PodStreams;
import org.crac.Core;
import org.crac.Resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The API server's Lambda handler behind an API Gateway HTTP API (payload format 2.0). A thin adapter: it builds
 * the {@link ApiServer} once per process and translates events. A watch becomes a bounded long poll: its events
 * are collected until API Gateway's 30 s limit nears, ending with a bookmark the client resumes from.
 */
public final class ApiGatewayHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** API Gateway HTTP APIs end a request after 30 s; leave room for the response to travel. */
    static final long MAX_WATCH_MILLIS = 28_000;

    private final ApiServer server;
    private final SnapStartPriming priming;
    private volatile boolean bootstrapped;

    /** Lambda's entry: configuration from the function's environment variables. */
    public ApiGatewayHandler() {
        this(System.getenv());
    }

    /**
     * The local Lambda host's entry: the environment a function would get, as a map. Registers the SnapStart
     * priming with the CRaC context (Lambda calls it before snapshotting a SnapStart version; elsewhere nothing does).
     */
    public ApiGatewayHandler(Map<String, String> environment) {
        this(ServerFactory.create(environment));
        Core.getGlobalContext().register(priming);
    }

    /** Around a server its host built (tests serving the API to clients through the local front). */
    public ApiGatewayHandler(ApiServer server) {
        this.server = server;
        this.priming = new SnapStartPriming(this::handle);
    }

    /** The CRaC resource that primes this handler before a snapshot (held here: CRaC contexts may hold it weakly). */
    public Resource snapStartPriming() {
        return priming;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiResponse response = handle(event);
        // Also when the request arrives without its upgrade headers, in case API Gateway drops them as hop-by-hop.
        if (response instanceof ApiResponse.Upgrade || PodStreams.isUpgradeRequired(response)) {
            // The node agent takes only the API server's tokens: the user's way in is the node, through SSM.
            response = PodStreams.cannotUpgrade("API Gateway", "reach the pod through its node with AWS Systems "
                    + "Manager Session Manager instead (kumo's README, \"Logs, exec and port-forward\")");
        }
        long budget = context == null ? MAX_WATCH_MILLIS
                : Math.min(MAX_WATCH_MILLIS, context.getRemainingTimeInMillis() - 1_000);
        byte[] body = switch (response) {
            case ApiResponse.Complete complete -> complete.body();
            case ApiResponse.Streaming streaming -> collect(streaming, budget);
            case ApiResponse.Upgrade upgrade -> throw new IllegalStateException("answered above");
        };
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.remove("Transfer-Encoding");
        boolean text = isText(headers.get("Content-Type"));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(!text)
                .build();
    }

    /** The core answer, for hosts that stream watches themselves (the local front). */
    public ApiResponse handle(APIGatewayV2HTTPEvent event) {
        bootstrapOnce();
        return server.handle(toRequest(event));
    }

    /**
     * The first request bootstraps the cluster (system namespaces, RBAC); requests that arrive meanwhile wait for
     * it instead of finding no kube-system yet, and a bootstrap that failed is tried again by the next request.
     */
    private void bootstrapOnce() {
        if (!bootstrapped) {
            synchronized (this) {
                if (!bootstrapped) {
                    server.bootstrap();
                    bootstrapped = true;
                }
            }
        }
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "GET";
        byte[] body = event.getBody() == null ? new byte[0]
                : event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                : event.getBody().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        String sourceIp = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getSourceIp() : "";
        return new ApiRequest(method, event.getRawPath() == null ? "/" : event.getRawPath(),
                parseQuery(event.getRawQueryString()), headers, body).withRemoteAddress(sourceIp);
    }

    /** Parses the raw query string, keeping repeated parameters apart (the parsed map joins them with commas). */
    static Map<String, List<String>> parseQuery(String raw) {
        return HttpHead.parseQuery(raw);
    }

    private static byte[] collect(ApiResponse.Streaming streaming, long budgetMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            streaming.body().writeTo(ApiResponse.Sink.of(out, System.nanoTime() + budgetMillis * 1_000_000));
        } catch (IOException e) {
            throw new IllegalStateException("a buffered watch cannot fail to write", e);
        }
        return out.toByteArray();
    }

    private static boolean isText(String contentType) {
        return contentType == null || contentType.startsWith("application/json") || contentType.startsWith("text/")
                || contentType.startsWith("application/yaml");
    }
}
