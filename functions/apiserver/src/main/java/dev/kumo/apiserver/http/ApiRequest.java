package dev.kumo.apiserver.http;

import dev.kumo.apiserver.auth.UserInfo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request to the API, independent of how it arrived (API Gateway payload or the local HTTPS front).
 * Header names are case-insensitive; query parameters keep all their values.
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                         byte[] body, UserInfo user, String remoteAddress) {

    public ApiRequest {
        method = method.toUpperCase(Locale.ROOT);
        query = Map.copyOf(query);
        TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.putAll(headers);
        headers = caseInsensitive;
        body = body == null ? new byte[0] : body;
        remoteAddress = remoteAddress == null ? "" : remoteAddress;
    }

    /** A request as a host received it: not yet authenticated. */
    public ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                      byte[] body) {
        this(method, path, query, headers, body, null, "");
    }

    public ApiRequest withRemoteAddress(String address) {
        return new ApiRequest(method, path, query, headers, body, user, address);
    }

    /** This request as sent by {@code authenticated}, once authentication has found who that is. */
    public ApiRequest withUser(UserInfo authenticated) {
        return new ApiRequest(method, path, query, headers, body, authenticated, remoteAddress);
    }

    /** The authenticated user; every request that reaches a handler has one. */
    public UserInfo requireUser() {
        if (user == null) {
            throw new IllegalStateException("request " + method + " " + path + " was not authenticated");
        }
        return user;
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean flag(String name) {
        String value = param(name);
        return value != null && (value.isEmpty() || value.equalsIgnoreCase("true") || value.equals("1"));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
