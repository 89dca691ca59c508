package dev.kumo.apiserver.front;

import dev.kumo.apimachinery.kubelet.ChunkedOutputStream;
import dev.kumo.apiserver.http.ApiResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Answers written straight to a connection the front owns (an upgrade request the API did not upgrade: refused,
 * or a watch asked for over WebSocket), each ending its connection.
 */
final class RawResponses {
    private RawResponses() {
    }

    static void write(OutputStream out, ApiResponse.Complete response) throws IOException {
        StringBuilder head = statusLine(response);
        head.append("Content-Length: ").append(response.body().length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(response.body());
        out.flush();
    }

    static void write(OutputStream out, ApiResponse.Streaming response) throws IOException {
        StringBuilder head = statusLine(response);
        head.append("Transfer-Encoding: chunked\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        ChunkedOutputStream body = new ChunkedOutputStream(out);
        response.body().writeTo(ApiResponse.Sink.of(body, Long.MAX_VALUE));
        body.finish();
    }

    private static StringBuilder statusLine(ApiResponse response) {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Transfer-Encoding")
                    && !header.getKey().equalsIgnoreCase("Content-Length")) {
                head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            }
        }
        return head.append("Connection: close\r\n");
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
