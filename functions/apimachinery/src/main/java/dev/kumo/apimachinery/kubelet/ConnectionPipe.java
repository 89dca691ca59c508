package dev.kumo.apimachinery.kubelet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Joins an upgraded client connection to the connection it was proxied to (exec, port-forward): bytes are copied
 * both ways until both are done. When the far side ends, the client's connection is closed; when the client stops
 * sending, the far side's output is shut (or, for TLS, which cannot half-close, its connection closed).
 */
public final class ConnectionPipe {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPipe.class);

    private ConnectionPipe() {
    }

    /** Returns when both directions ended; {@code client} and {@code far} are closed by then or by the caller. */
    public static void join(InputStream clientIn, OutputStream clientOut, Closeable client, Socket far, String what)
            throws IOException {
        InputStream farIn = far.getInputStream();
        OutputStream farOut = far.getOutputStream();
        Thread down = Thread.ofVirtual().name(what + "-down").start(() -> {
            try {
                copy(farIn, clientOut);
            } catch (IOException e) {
                LOG.atDebug().addKeyValue("stream", what).log("far side to client ended: " + e.getMessage());
            }
            try {
                client.close(); // the far side is done, so is the client (which ends the other copy)
            } catch (IOException e) {
                LOG.atDebug().addKeyValue("stream", what).log("closing the client failed: " + e.getMessage());
            }
        });
        try {
            copy(clientIn, farOut);
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("stream", what).log("client to far side ended: " + e.getMessage());
        }
        try {
            far.shutdownOutput();
        } catch (UnsupportedOperationException | IOException e) {
            far.close(); // TLS has no half-close
        }
        try {
            down.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            out.write(buffer, 0, read);
            out.flush();
        }
    }
}
