package dev.kumo.apiserver.rest;

import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.ApiServer;

/** Gives tests in other packages an API server on fresh tables. */
public final class ApiHarness {
    private final TestApi api = new TestApi();

    public ApiServer server() {
        return api.server;
    }

    /** The store under {@link #server()}, for tests that arrange objects directly. */
    public Store store() {
        return api.store;
    }

    /** The {@code Authorization} header value of an admin request to {@link #server()}. */
    public String adminAuthorization() {
        return "Bearer " + TestApi.ADMIN_TOKEN;
    }
}
