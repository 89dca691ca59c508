package dev.kumo.apiserver.openapi;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP semantics of kube-apiserver's OpenAPI endpoints (kube-openapi's handler and handler3), for the router
 * to call on GET (for HEAD, send the same status and headers without the body):
 *
 * <ul>
 *   <li>{@code /openapi/v2}: JSON or protobuf by the Accept header, else 406; {@code ETag} is the JSON's hash for
 *       both, with {@code Vary: Accept}.
 *   <li>{@code /openapi/v3}: the index, with its own {@code ETag}.
 *   <li>{@code /openapi/v3/<path>}: the document as JSON (the only v3 form kumo serves, else 406). With a
 *       {@code hash} query equal to the document's hash it is {@code Cache-Control: public, immutable} and
 *       expires in a year; with another hash, 301 to the current URL.
 * </ul>
 * A matching {@code If-None-Match} gives 304. Paths that are no served document give empty (the router's 404).
 */
public final class OpenApiEndpoints {
    static final String V2_PROTOBUF_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    private static final String V2_PROTOBUF_DEPRECATED_TYPE = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    private static final String JSON_TYPE = "application/json";
    private static final String V3_PREFIX = "/openapi/v3/";
    /** IMF-fixdate of RFC 9110. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private final OpenApiDocuments documents;
    private final Clock clock;

    public OpenApiEndpoints(OpenApiDocuments documents, Clock clock) {
        this.documents = documents;
        this.clock = clock;
    }

    public Optional<OpenApiResponse> handle(OpenApiRequest request) {
        String path = request.path();
        if (path.equals("/openapi/v2")) {
            return Optional.of(v2(request));
        }
        if (path.equals("/openapi/v3")) {
            return Optional.of(v3Index(request));
        }
        if (path.startsWith(V3_PREFIX)) {
            String documentPath = path.substring(V3_PREFIX.length());
            return documents.hash(documentPath).map(hash -> v3Document(request, documentPath, hash));
        }
        return Optional.empty();
    }

    private OpenApiResponse v2(OpenApiRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Accept");
        for (MediaRange range : MediaRange.parseAccept(request.accept())) {
            if (range.matches(JSON_TYPE)) {
                return ok(request, headers, JSON_TYPE, documents.v2Hash(), documents::v2Json);
            }
            if (range.matches(V2_PROTOBUF_DEPRECATED_TYPE) || range.matches(V2_PROTOBUF_TYPE)) {
                return ok(request, headers, V2_PROTOBUF_TYPE, documents.v2Hash(), documents::v2Protobuf);
            }
        }
        return new OpenApiResponse(406, headers, new byte[0]);
    }

    private OpenApiResponse v3Index(OpenApiRequest request) {
        return ok(request, new LinkedHashMap<>(), JSON_TYPE, documents.v3IndexHash(), documents::v3Index);
    }

    private OpenApiResponse v3Document(OpenApiRequest request, String path, String hash) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Accept");
        List<MediaRange> accepted = MediaRange.parseAccept(request.accept());
        if (accepted.stream().noneMatch(range -> range.matches(JSON_TYPE))) {
            return new OpenApiResponse(406, headers, new byte[0]);
        }
        if (request.hash() != null && !request.hash().isEmpty()) {
            if (!request.hash().equals(hash)) {
                headers.put("Location", V3Index.serverRelativeUrl(path, hash));
                return new OpenApiResponse(301, headers, new byte[0]);
            }
            headers.put("Cache-Control", "public, immutable");
            headers.put("Expires", HTTP_DATE.format(ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC).plusYears(1)));
        }
        return ok(request, headers, JSON_TYPE, hash, () -> documents.v3Document(path).orElseThrow());
    }

    private static OpenApiResponse ok(OpenApiRequest request, Map<String, String> headers, String contentType,
                                      String hash, Supplier<byte[]> body) {
        String etag = "\"" + hash + "\"";
        headers.put("ETag", etag);
        if (EntityTags.anyMatches(request.ifNoneMatch(), etag)) {
            return new OpenApiResponse(304, headers, new byte[0]);
        }
        headers.put("Content-Type", contentType);
        return new OpenApiResponse(200, headers, body.get());
    }
}
