package dev.kumo.apiserver.openapi;

/**
 * What of a GET request decides the OpenAPI response. Absent values are {@code null}.
 *
 * @param path the URL path, e.g. {@code /openapi/v3/apis/apps/v1}
 * @param hash the {@code hash} query parameter
 * @param accept the Accept header
 * @param ifNoneMatch the If-None-Match header
 */
public record OpenApiRequest(String path, String hash, String accept, String ifNoneMatch) {
    public static OpenApiRequest get(String path) {
        return new OpenApiRequest(path, null, null, null);
    }

    public OpenApiRequest withHash(String value) {
        return new OpenApiRequest(path, value, accept, ifNoneMatch);
    }

    public OpenApiRequest withAccept(String value) {
        return new OpenApiRequest(path, hash, value, ifNoneMatch);
    }

    public OpenApiRequest withIfNoneMatch(String value) {
        return new OpenApiRequest(path, hash, accept, value);
    }
}
