package dev.kumo.controllers.garbagecollector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The discovery snapshot the collector keeps, against a stub API that serves slow discovery documents. */
class ApiResourcesTest {
    private static final Map<String, String> DISCOVERY = Map.of(
            "/apis", "{\"groups\":[{\"preferredVersion\":{\"groupVersion\":\"apps/v1\"}}]}",
            "/api/v1", "{\"resources\":[{\"name\":\"pods\",\"namespaced\":true,\"kind\":\"Pod\","
                    + "\"verbs\":[\"delete\",\"list\",\"watch\"]},{\"name\":\"pods/status\",\"namespaced\":true,"
                    + "\"kind\":\"Pod\",\"verbs\":[\"get\"]}]}",
            "/apis/apps/v1", "{\"resources\":[{\"name\":\"replicasets\",\"namespaced\":true,"
                    + "\"kind\":\"ReplicaSet\",\"verbs\":[\"delete\",\"list\",\"watch\"]}]}");
    private static final int CALLERS = 8;

    private final AtomicInteger reads = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private HttpServer api;
    private ApiResources resources;

    @BeforeEach
    void serve() throws Exception {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        api.createContext("/", this::discovery);
        api.start();
        KubeClient client = new KubeClient(URI.create("http://127.0.0.1:" + api.getAddress().getPort()),
                SSLContext.getDefault(), () -> "token", "api-resources-test");
        resources = new ApiResources(client, clock);
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    /** Serves a discovery document after 100 ms, counting the reads of {@code /apis} (one per full read). */
    private void discovery(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/apis")) {
                reads.incrementAndGet();
            }
            Thread.sleep(100);
            byte[] body = DISCOVERY.getOrDefault(path, "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void readsTheResourcesOnceAndMapsKindsAndStoreKeys() {
        assertThat(resources.collectable()).extracting(ResourceType::storageResource)
                .containsExactly("pods", "apps/replicasets");
        assertThat(resources.forKind("apps/v1", "ReplicaSet")).map(r -> r.type().storageResource())
                .contains("apps/replicasets");
        assertThat(resources.forStorageResource("pods")).map(ApiResources.Resource::kind).contains("Pod");
        assertThat(reads).hasValue(1);
    }

    @Test
    void callersThatFindTheSnapshotStaleTogetherShareOneRead() throws Exception {
        resources.collectable();
        clock.advance(ApiResources.MAX_AGE.plusSeconds(1));

        together(() -> resources.collectable());

        assertThat(reads).as("one read when it was first needed, one when it went stale").hasValue(2);
    }

    @Test
    void callersAskingForAnUnknownKindTogetherShareOneRead() throws Exception {
        resources.collectable();
        clock.advance(ApiResources.UNKNOWN_KIND_REFRESH.plusSeconds(1));

        List<Object> found = together(() -> resources.forKind("example.com/v1", "Widget"));

        assertThat(found).allMatch(result -> result.equals(Optional.empty()));
        assertThat(reads).hasValue(2);
    }

    /** Runs {@value #CALLERS} calls at the same moment and waits for their results. */
    private static List<Object> together(Callable<?> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(CALLERS)) {
            for (int i = 0; i < CALLERS; i++) {
                futures.add(callers.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            Thread.sleep(Duration.ofMillis(50));
            start.countDown();
        }
        List<Object> results = new ArrayList<>();
        for (Future<?> future : futures) {
            results.add(future.get());
        }
        return results;
    }
}
