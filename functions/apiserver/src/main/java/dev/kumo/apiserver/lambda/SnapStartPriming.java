package dev.kumo.apiserver.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.kumo.apiserver.http.ApiResponse;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * SnapStart priming (Lambda's runtime hooks, the CRaC API): before Lambda snapshots the initialized function, a few
 * requests run through the whole handler — the cluster's bootstrap against the store (what makes a first request
 * slow), routing, authentication, Status and JSON answers — so that a restored environment starts with that code
 * loaded and warmer instead of paying for it on a user's first request. Only the bootstrap (which every first
 * request runs anyway) writes; the rest are anonymous, and kumo answers them 401 except {@code /version}, so RBAC
 * is not primed. The store's connections opened here are re-established by the AWS SDK after a restore.
 *
 * <p>Priming is an optimization: a request that fails is logged and the snapshot goes on (a failed hook would fail
 * the function's version, and so the deploy).
 */
final class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

    /** What a first request commonly is: version and discovery (kubectl's first calls), a read, a bad token. */
    static final List<PrimingRequest> REQUESTS = List.of(
            new PrimingRequest("/version", Map.of()),
            new PrimingRequest("/api", Map.of()),
            new PrimingRequest("/apis", Map.of()),
            new PrimingRequest("/api/v1/namespaces/default/pods", Map.of()),
            new PrimingRequest("/api/v1/namespaces/default/pods", Map.of("authorization", "Bearer priming")));

    record PrimingRequest(String path, Map<String, String> headers) {
        APIGatewayV2HTTPEvent event() {
            Map<String, String> all = new HashMap<>(headers);
            all.put("accept", "application/json");
            all.put("user-agent", "kumo-snapstart-priming");
            return APIGatewayV2HTTPEvent.builder().withRawPath(path).withRawQueryString("").withHeaders(all)
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET")
                                    .withPath(path).withSourceIp("127.0.0.1").build()).build())
                    .build();
        }
    }

    private final Function<APIGatewayV2HTTPEvent, ApiResponse> handler;
    private volatile int lastAnswered;

    SnapStartPriming(Function<APIGatewayV2HTTPEvent, ApiResponse> handler) {
        this.handler = handler;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        LOG.atInfo().log("restored from the SnapStart snapshot");
    }

    /** How many requests the last priming got an answer to. */
    int lastAnswered() {
        return lastAnswered;
    }

    /** Runs the priming requests; returns how many got an answer (any status: a 401 primes as much as a 200). */
    int prime() {
        long started = System.nanoTime();
        int answered = 0;
        for (PrimingRequest request : REQUESTS) {
            try {
                ApiResponse response = handler.apply(request.event());
                answered++;
                LOG.atDebug().addKeyValue("path", request.path()).addKeyValue("status", response.status())
                        .log("priming request answered");
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).addKeyValue("path", request.path())
                        .log("priming request failed; the snapshot goes on without it");
            }
        }
        lastAnswered = answered;
        LOG.atInfo().addKeyValue("requests", REQUESTS.size()).addKeyValue("answered", answered)
                .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
                .log("primed the API handler for its SnapStart snapshot");
        return answered;
    }
}
