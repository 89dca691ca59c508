package dev.kumo.apiserver.front;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.sun.net.httpserver.HttpExchange;
import dev.kumo.apimachinery.kubelet.HttpHead;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns an HTTP request into the event API Gateway's HTTP API sends a Lambda function (payload format 2.0): header
 * names lower-cased and repeated values joined with commas, the raw query string kept, binary bodies base64.
 */
final class PayloadFormat2 {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private PayloadFormat2() {
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, String domainName) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        return toEvent(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, exchange.getRequestBody().readAllBytes(),
                exchange.getProtocol(), exchange.getRemoteAddress().getAddress().getHostAddress(), domainName);
    }

    /** A request the front read itself (an upgrade request; it has no body). */
    static APIGatewayV2HTTPEvent toEvent(HttpHead head, String sourceIp, String domainName) {
        Map<String, String> headers = new LinkedHashMap<>();
        head.headers().forEach(header -> headers.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(),
                (a, b) -> a + "," + b));
        String rawQuery = head.rawQuery();
        return toEvent(head.method(), head.path(), rawQuery.isEmpty() ? null : rawQuery, headers, new byte[0],
                "HTTP/1.1", sourceIp, domainName);
    }

    private static APIGatewayV2HTTPEvent toEvent(String method, String rawPath, String rawQuery,
                                                 Map<String, String> headers, byte[] body, String protocol,
                                                 String sourceIp, String domainName) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    parameters.merge(name, value, (a, b) -> a + "," + b);
                }
            }
        }
        boolean text = isText(headers.get("content-type"));
        long now = System.currentTimeMillis();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers)
                .withQueryStringParameters(parameters.isEmpty() ? null : parameters)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName(domainName)
                        .withDomainPrefix("local")
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey("$default")
                        .withStage("$default")
                        .withTime(ZonedDateTime.now(ZoneOffset.UTC).format(REQUEST_TIME))
                        .withTimeEpoch(now)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(rawPath)
                                .withProtocol(protocol)
                                .withSourceIp(sourceIp)
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .build())
                .withBody(body.length == 0 ? null
                        : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .build();
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return List.of("application/json", "application/yaml", "application/merge-patch+json",
                        "application/json-patch+json", "application/strategic-merge-patch+json",
                        "application/apply-patch+yaml", "text/").stream().anyMatch(type::startsWith);
    }
}
