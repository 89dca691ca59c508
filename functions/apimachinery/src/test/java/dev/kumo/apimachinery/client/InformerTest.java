package dev.kumo.apimachinery.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The informer's list/watch protocol against a peer that answers as kube-apiserver does, one scripted answer per
 * request: resuming a watch the server ended from the last resourceVersion seen (bookmarks included), listing
 * again after 410 Gone and reporting what the new list no longer holds as deleted, retrying after failures.
 */
class InformerTest {
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private Informer informer;
    private Thread runner;

    InformerTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            answers.add(""); // releases requests still waiting for an answer
        }
        if (informer != null) {
            informer.close();
            runner.join(5_000);
            assertThat(runner.isAlive()).as("close() ends run()").isFalse();
        }
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestURI().getQuery());
        String body;
        try {
            body = answers.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        int status = body == null ? 500 : body.startsWith("500 ") ? 500 : 200;
        byte[] bytes = (body == null ? "{}" : body.replaceFirst("^500 ", "")).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String pod(String name, String rv) {
        return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\",\"resourceVersion\":\"" + rv + "\"}}";
    }

    private static String list(String rv, String... items) {
        return "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"" + rv + "\"},\"items\":["
                + String.join(",", items) + "]}";
    }

    private static String event(String type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object + "}\n";
    }

    private void start() {
        KubeClient client = new KubeClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                HttpClient.newHttpClient(), () -> "token", "test");
        informer = new Informer(client, ResourceType.PODS, "", "", "spec.nodeName=n1", new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                seen.add("added " + name(object));
            }

            @Override
            public void updated(ObjectNode previous, ObjectNode object) {
                seen.add("updated " + name(previous) + "@" + rv(previous) + "->" + rv(object));
            }

            @Override
            public void deleted(ObjectNode last) {
                seen.add("deleted " + name(last));
            }
        });
        runner = Thread.ofVirtual().start(informer::run);
    }

    private static String name(ObjectNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static String rv(ObjectNode object) {
        return object.path("metadata").path("resourceVersion").asText();
    }

    private void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (requests.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(requests).hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    void resumesFromTheLastResourceVersionAndListsAgainWhenItExpired() throws Exception {
        answers.add(list("5", pod("a", "3"), pod("b", "4")));
        answers.add(event("MODIFIED", pod("a", "6")) + event("BOOKMARK", "{\"metadata\":{\"resourceVersion\":\"8\"}}"));
        answers.add(event("ADDED", pod("c", "9")) + event("ERROR",
                "{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\",\"message\":\"too old resource version\"}"));
        answers.add(list("20", pod("a", "6"), pod("c", "12"), pod("d", "15")));
        start();

        assertThat(informer.awaitSynced(Duration.ofSeconds(10))).isTrue();
        awaitRequests(5);

        assertThat(requests.get(0)).contains("limit=500").contains("fieldSelector=spec.nodeName=n1")
                .doesNotContain("watch");
        assertThat(requests.get(1)).contains("watch=true").contains("resourceVersion=5")
                .contains("allowWatchBookmarks=true");
        assertThat(requests.get(2)).as("resumed after the bookmark").contains("watch=true")
                .contains("resourceVersion=8");
        assertThat(requests.get(3)).as("410: a fresh list").doesNotContain("watch");
        assertThat(requests.get(4)).contains("watch=true").contains("resourceVersion=20");
        assertThat(seen).containsExactly("added a", "added b", "updated a@3->6", "added c",
                "updated c@9->12", "added d", "deleted b");
        assertThat(informer.list()).extracting(InformerTest::name).containsExactlyInAnyOrder("a", "c", "d");
        assertThat(informer.get("ns", "c")).map(InformerTest::rv).contains("12");
    }

    @Test
    void aFailedListIsRetriedAfterABackOff() throws Exception {
        answers.add("500 {\"kind\":\"Status\",\"code\":500,\"message\":\"etcd is sad\"}");
        answers.add(list("7", pod("a", "7")));
        start();

        assertThat(informer.awaitSynced(Duration.ofSeconds(10))).isTrue();
        assertThat(seen).containsExactly("added a");
        assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
        assertThat(new ArrayList<>(requests).get(1)).doesNotContain("watch");
    }
}
