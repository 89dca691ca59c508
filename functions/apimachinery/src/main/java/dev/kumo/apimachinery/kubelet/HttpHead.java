package dev.kumo.apimachinery.kubelet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request's head: method, target (path and raw query), headers (in order; names compared without
 * case) and the bytes it was read from. Read byte by byte up to the blank line, so that whatever the client sends
 * after it (an upgraded protocol's frames, a body) stays in the stream for whoever reads on.
 */
public record HttpHead(String method, String target, List<Map.Entry<String, String>> headers, byte[] raw) {
    private static final int MAX_HEAD = 64 * 1024;

    /** The head, or null when the connection closed before a request began. */
    public static HttpHead read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("the connection closed within the request head");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head over " + MAX_HEAD + " bytes");
            }
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
                    : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x request line: " + lines[0]);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
            }
        }
        return new HttpHead(requestLine[0], requestLine[1], List.copyOf(headers), head.toByteArray());
    }

    public String header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** Whether the client asks to switch protocols (SPDY or WebSocket). */
    public boolean upgrade() {
        String connection = header("Connection");
        return connection != null && connection.toLowerCase(Locale.ROOT).contains("upgrade")
                && header("Upgrade") != null;
    }

    public String path() {
        int question = target.indexOf('?');
        return question < 0 ? target : target.substring(0, question);
    }

    public String rawQuery() {
        int question = target.indexOf('?');
        return question < 0 ? "" : target.substring(question + 1);
    }

    /** Every value of every query parameter, decoded. */
    public Map<String, List<String>> query() {
        return parseQuery(rawQuery());
    }

    /** A raw query string's parameters, decoded, repeated ones kept apart in order. */
    public static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query().get(name);
        return values == null ? null : values.get(0);
    }

    /** A boolean query parameter as the kubelet reads them: "1" or "true". */
    public boolean flag(String name) {
        String value = param(name);
        return "1".equals(value) || "true".equalsIgnoreCase(value);
    }
}
