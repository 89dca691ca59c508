package dev.kumo.cloud.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Copies bytes both ways between two connected sockets until both directions end. Half-close is carried over: when
 * one side finishes sending (EOF), the other side's output is shut down, and the opposite direction keeps flowing
 * (a client that sends its request and shuts down its output still gets the whole answer).
 */
final class Splice {
    private static final Logger LOG = LoggerFactory.getLogger(Splice.class);
    private static final int BUFFER = 16 * 1024;

    private Splice() {
    }

    /** Returns when both directions are done (EOF or error); the caller closes the sockets. */
    static void both(Socket client, Socket backend) {
        Thread upstream = Thread.ofVirtual().start(() -> pump(client, backend));
        pump(backend, client);
        try {
            upstream.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // A reset or a socket closed by the listener ends both directions: closing breaks the other pump too.
            LOG.atDebug().addKeyValue("from", from.getRemoteSocketAddress()).addKeyValue("error", e.toString())
                    .log("connection ended");
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("error", e.toString()).log("close after a failed copy failed");
        }
    }
}
