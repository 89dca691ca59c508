package dev.kumo.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Amazon's DynamoDB Local in server mode on a loopback port: on disk under the cluster's home (data survives
 * restarts) or in memory. Telemetry is off.
 */
final class LocalDynamoDb implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private LocalDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static LocalDynamoDb start(Path dataDirectory, boolean inMemory) throws Exception {
        int port = freePort();
        String[] args;
        if (inMemory) {
            args = new String[]{"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"};
        } else {
            Files.createDirectories(dataDirectory);
            args = new String[]{"-dbPath", dataDirectory.toString(), "-sharedDb", "-port", Integer.toString(port),
                    "-disableTelemetry"};
        }
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
        bindToLoopback(server);
        server.start();
        return new LocalDynamoDb(server, port);
    }

    /**
     * DynamoDB Local has no option for its listen address and binds every interface; the cluster's state must not
     * be reachable from the network, so its Jetty connector is pointed at loopback before it starts.
     */
    private static void bindToLoopback(DynamoDBProxyServer server) throws ReflectiveOperationException {
        java.lang.reflect.Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        org.eclipse.jetty.server.Server jetty = (org.eclipse.jetty.server.Server) field.get(server);
        for (org.eclipse.jetty.server.Connector connector : jetty.getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.ServerConnector serverConnector) {
                serverConnector.setHost("127.0.0.1");
            }
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
