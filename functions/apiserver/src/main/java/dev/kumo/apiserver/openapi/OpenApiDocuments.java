package dev.kumo.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The OpenAPI documents kumo publishes, as the build generated them from the official Kubernetes ones, filtered to
 * the resources kumo serves: swagger 2.0 at {@code /openapi/v2} (JSON, and the protobuf kubectl 1.28 requires) and
 * OpenAPI 3.0 per group-version at {@code /openapi/v3/<path>} with the index at {@code /openapi/v3}.
 *
 * <p>Only the small manifest is read up front; each document is read from the classpath when first asked for and
 * kept. Byte arrays handed out are copies. The schema trees of {@link #schemasFor} are shared: treat them as
 * read-only.
 */
public final class OpenApiDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile OpenApiDocuments loaded;

    private final ClassLoader classLoader;
    private final OpenApiManifest manifest;
    private final byte[] v3Index;
    private final String v3IndexHash;
    private final ConcurrentMap<String, byte[]> resources = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Map<String, JsonNode>> schemas = new ConcurrentHashMap<>();

    private OpenApiDocuments(ClassLoader classLoader, OpenApiManifest manifest) {
        this.classLoader = classLoader;
        this.manifest = manifest;
        this.v3Index = V3Index.of(manifest.v3Hashes());
        this.v3IndexHash = OpenApiHash.of(v3Index);
    }

    /** The documents of this process, read from the classpath on the first call. */
    public static OpenApiDocuments load() {
        OpenApiDocuments documents = loaded;
        if (documents == null) {
            synchronized (OpenApiDocuments.class) {
                documents = loaded;
                if (documents == null) {
                    documents = fromClasspath(OpenApiDocuments.class.getClassLoader());
                    loaded = documents;
                }
            }
        }
        return documents;
    }

    static OpenApiDocuments fromClasspath(ClassLoader classLoader) {
        byte[] manifest = read(classLoader, OpenApiResources.MANIFEST);
        try {
            return new OpenApiDocuments(classLoader, OpenApiManifest.parse(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + OpenApiResources.MANIFEST, e);
        }
    }

    /** The swagger 2.0 document as JSON. */
    public byte[] v2Json() {
        return resource(OpenApiResources.V2_JSON).clone();
    }

    /** The swagger 2.0 document as gnostic's {@code openapi.v2.Document} protobuf. */
    public byte[] v2Protobuf() {
        return resource(OpenApiResources.V2_PROTOBUF).clone();
    }

    /** The hash of {@link #v2Json()}; Kubernetes uses it as the ETag of both v2 representations. */
    public String v2Hash() {
        return manifest.v2Hash();
    }

    /** The {@code /openapi/v3} index: each path with its {@code serverRelativeURL} carrying the document's hash. */
    public byte[] v3Index() {
        return v3Index.clone();
    }

    public String v3IndexHash() {
        return v3IndexHash;
    }

    /** The paths below {@code /openapi/v3/} that have a document, e.g. {@code api/v1}, {@code apis/apps/v1}. */
    public SortedSet<String> v3Paths() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(manifest.v3Hashes().keySet()));
    }

    public Optional<byte[]> v3Document(String path) {
        if (!manifest.v3Hashes().containsKey(path)) {
            return Optional.empty();
        }
        return Optional.of(resource(OpenApiResources.v3Document(path)).clone());
    }

    /** The hash of the v3 document at {@code path}: uppercase hex SHA-512 of its bytes. */
    public Optional<String> hash(String path) {
        return Optional.ofNullable(manifest.v3Hashes().get(path));
    }

    /**
     * The {@code components.schemas} of a group-version's v3 document by schema name (e.g.
     * {@code io.k8s.api.apps.v1.Deployment}), with the Kubernetes extensions such as
     * {@code x-kubernetes-patch-merge-key} and {@code x-kubernetes-list-type}. Group {@code ""} is the core group.
     */
    public Optional<Map<String, JsonNode>> schemasFor(String group, String version) {
        String path = v3Path(group, version);
        if (!manifest.v3Hashes().containsKey(path)) {
            return Optional.empty();
        }
        return Optional.of(schemas.computeIfAbsent(path, this::parseSchemas));
    }

    /** The v3 path of a group-version: {@code api/v1} for the core group, else {@code apis/<group>/<version>}. */
    public static String v3Path(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    private Map<String, JsonNode> parseSchemas(String path) {
        JsonNode document;
        try {
            document = JSON.readTree(resource(OpenApiResources.v3Document(path)));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable OpenAPI v3 document " + path, e);
        }
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        ((ObjectNode) document.required("components").required("schemas")).properties()
                .forEach(entry -> byName.put(entry.getKey(), entry.getValue()));
        return Collections.unmodifiableMap(byName);
    }

    private byte[] resource(String name) {
        return resources.computeIfAbsent(name, missing -> read(classLoader, missing));
    }

    private static byte[] read(ClassLoader classLoader, String name) {
        try (InputStream in = classLoader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name
                        + ": the build generates it (exec execution 'openapi-documents' of functions/apiserver)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }
}
