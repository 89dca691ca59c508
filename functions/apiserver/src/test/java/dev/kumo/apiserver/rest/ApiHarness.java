package dev.kumo.apiserver.rest;

import dev.kumo.apiserver.ApiServer;

/** Gives tests in other packages an API server on fresh tables. */
public final class ApiHarness {
    private final TestApi api = new TestApi();

    public ApiServer server() {
        return api.server;
    }

    /** The {@code Authorization} header value of an admin request to {@link #server()}. */
    public String adminAuthorization() {
        return "Bearer " + TestApi.ADMIN_TOKEN;
    }
}
