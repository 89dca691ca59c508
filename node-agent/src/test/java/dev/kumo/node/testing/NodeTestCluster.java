package dev.kumo.node.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.TestCluster;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.join.BootstrapTokens;

import java.time.Clock;
import java.time.Duration;

/** The real API (controllers' {@link TestCluster}) with what node agents need to join it: a bootstrap token. */
public final class NodeTestCluster implements AutoCloseable {
    private final TestCluster cluster = new TestCluster();
    private final String bootstrapToken = BootstrapTokens.create(cluster.admin(), Clock.systemUTC(),
            Duration.ofHours(1), "node agent tests").token();
    private final ApiEndpoint endpoint = ApiEndpoint.of(cluster.server(), null);
    private dev.kumo.apiserver.front.ApiFront tlsFront;

    /**
     * The test API runs no control loops, so nothing publishes {@code kube-root-ca.crt}, which every pod's
     * service-account volume projects; a node cannot start a pod without it. The API is plain HTTP here, so the
     * bundle is a stand-in certificate.
     */
    public static final String ROOT_CA_BUNDLE = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBATAKBggqhkjOPQQDAjAA\n"
            + "-----END CERTIFICATE-----\n";

    public NodeTestCluster() {
        ObjectNode rootCa = cluster.admin().mapper().createObjectNode();
        rootCa.putObject("metadata").put("name", "kube-root-ca.crt");
        rootCa.putObject("data").put("ca.crt", ROOT_CA_BUNDLE);
        cluster.admin().create(ResourceType.CONFIG_MAPS, "default", rootCa);
    }

    public KubeClient admin() {
        return cluster.admin();
    }

    /** The API's URL (plain HTTP on loopback) and the admin's token, for kubectl and raw requests. */
    public java.net.URI server() {
        return cluster.server();
    }

    public String adminToken() {
        return cluster.adminToken();
    }

    public ApiEndpoint endpoint() {
        return endpoint;
    }

    public String bootstrapToken() {
        return bootstrapToken;
    }

    /**
     * The same API over HTTPS (a certificate of its own, which clients must not verify), started on first use:
     * kubectl sends no bearer token over plain HTTP.
     */
    public synchronized java.net.URI tlsServer() {
        if (tlsFront == null) {
            try {
                tlsFront = new dev.kumo.apiserver.front.ApiFront(new java.net.InetSocketAddress("127.0.0.1", 0),
                        dev.kumo.node.server.ServingCertificate.create("localhost", java.util.List.of("127.0.0.1"))
                                .tls(), cluster.handler());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            tlsFront.start();
        }
        return java.net.URI.create("https://127.0.0.1:" + tlsFront.address().getPort());
    }

    @Override
    public void close() {
        if (tlsFront != null) {
            tlsFront.close();
        }
        cluster.close();
    }
}
