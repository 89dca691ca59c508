package dev.kumo.apiserver.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * What the API answers: a complete body, or a stream (a watch) that the host either streams to the client (the
 * local front) or collects until its deadline (API Gateway, which ends requests after 30 s), or an upgrade (exec,
 * port-forward) that only a host owning the client's connection can carry out.
 */
public sealed interface ApiResponse permits ApiResponse.Complete, ApiResponse.Streaming, ApiResponse.Upgrade {

    int status();

    Map<String, String> headers();

    record Complete(int status, Map<String, String> headers, byte[] body) implements ApiResponse {
        public Complete {
            headers = Map.copyOf(headers);
        }
    }

    record Streaming(int status, Map<String, String> headers, StreamBody body) implements ApiResponse {
        public Streaming {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * A connection upgrade: the host hands the client's connection, right after the request head, to
     * {@link Tunnel#connect}, which writes the whole response itself (the far side's {@code 101 Switching
     * Protocols} or its refusal) and then carries the upgraded protocol. A host that cannot (API Gateway) answers
     * 400 instead.
     */
    record Upgrade(Tunnel tunnel) implements ApiResponse {
        @Override
        public int status() {
            return 101;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }
    }

    /** Carries an upgraded connection; returns when it ended, the client's connection closed. */
    @FunctionalInterface
    interface Tunnel {
        void connect(java.io.InputStream clientIn, OutputStream clientOut, java.io.Closeable client)
                throws IOException;
    }

    /** Writes a streamed body. Each {@link Sink#send} is one line of a watch, flushed to the client at once. */
    @FunctionalInterface
    interface StreamBody {
        void writeTo(Sink sink) throws IOException;
    }

    /** Where a stream goes; {@link #isOpen()} turns false when the client left or the host's deadline passed. */
    interface Sink {
        void send(byte[] chunk) throws IOException;

        boolean isOpen();

        /** The client is still there (the deadline may have passed: a last bookmark can still be sent). */
        boolean connected();

        /** Milliseconds until the host ends the stream (Long.MAX_VALUE when the client decides). */
        long remainingMillis();

        static Sink of(OutputStream out, long deadlineNanos) {
            return new Sink() {
                private volatile boolean open = true;

                @Override
                public void send(byte[] chunk) throws IOException {
                    try {
                        out.write(chunk);
                        out.flush();
                    } catch (IOException e) {
                        open = false;
                        throw e;
                    }
                }

                @Override
                public boolean isOpen() {
                    return open && remainingMillis() > 0;
                }

                @Override
                public boolean connected() {
                    return open;
                }

                @Override
                public long remainingMillis() {
                    return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                            : Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
                }
            };
        }
    }
}
