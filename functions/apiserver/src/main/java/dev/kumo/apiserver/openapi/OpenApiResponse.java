package dev.kumo.apiserver.openapi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response for an OpenAPI request, independent of any HTTP framework. */
public record OpenApiResponse(int status, Map<String, String> headers, byte[] body) {
    public OpenApiResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public String header(String name) {
        return headers.get(name);
    }
}
