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
}
