package dev.kumo.apiserver.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiGatewayHandlerTest {

    @Test
    void repeatedQueryParametersStayApartAndAreDecoded() {
        Map<String, List<String>> query = ApiGatewayHandler.parseQuery(
                "labelSelector=app%3Dweb%2Ctier+in+(a)&watch=true&x=1&x=2&flag");

        assertThat(query.get("labelSelector")).containsExactly("app=web,tier in (a)");
        assertThat(query.get("x")).containsExactly("1", "2");
        assertThat(query.get("flag")).containsExactly("");
    }

    @Test
    void anEventBecomesARequest() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRawPath("/api/v1/namespaces/default/pods")
                .withRawQueryString("limit=5")
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("eyJhIjoxfQ==").withIsBase64Encoded(true)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build())
                        .build())
                .build();

        var request = ApiGatewayHandler.toRequest(event);

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.param("limit")).isEqualTo("5");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.bodyText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void aWatchThroughApiGatewayIsABoundedLongPollEndingWithABookmark() {
        var harness = new dev.kumo.apiserver.rest.ApiHarness();
        ApiGatewayHandler handler = new ApiGatewayHandler(harness.server());
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRawPath("/api/v1/namespaces/default/configmaps")
                .withRawQueryString("watch=true&allowWatchBookmarks=true&resourceVersion=0")
                .withHeaders(Map.of("Authorization", harness.adminAuthorization()))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build())
                        .build())
                .build();

        long start = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new ShortContext(2_500));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).doesNotContainKey("Transfer-Encoding");
        assertThat(tookMillis).isLessThan(10_000);
        assertThat(response.getBody()).doesNotContain("ERROR");
    }

    @Test
    void snapStartPrimingRunsTheFirstRequestsPathsBeforeTheSnapshot() throws Exception {
        var harness = new dev.kumo.apiserver.rest.ApiHarness();
        ApiGatewayHandler handler = new ApiGatewayHandler(harness.server());
        // what Lambda calls before it snapshots a SnapStart version runs every priming request through the handler
        handler.snapStartPriming().beforeCheckpoint(null);
        assertThat(((SnapStartPriming) handler.snapStartPriming()).lastAnswered())
                .isEqualTo(SnapStartPriming.REQUESTS.size());

        List<String> answers = new java.util.ArrayList<>();
        SnapStartPriming recording = new SnapStartPriming(event -> {
            var response = handler.handle(event);
            answers.add(event.getRawPath() + " " + (event.getHeaders().containsKey("authorization") ? "token " : "")
                    + response.status());
            return response;
        });
        assertThat(recording.prime()).isEqualTo(SnapStartPriming.REQUESTS.size());
        // the version is public; the rest is refused by authentication (kumo takes no anonymous requests)
        assertThat(answers).containsExactly("/version 200", "/api 401", "/apis 401",
                "/api/v1/namespaces/default/pods 401", "/api/v1/namespaces/default/pods token 401");
    }
}
