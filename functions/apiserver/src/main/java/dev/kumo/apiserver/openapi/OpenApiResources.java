package dev.kumo.apiserver.openapi;

/**
 * Where the build puts the published OpenAPI documents on the classpath; the generator writes these names and
 * {@link OpenApiDocuments} reads them.
 */
public final class OpenApiResources {
    public static final String ROOT = "openapi/";
    /** {@link OpenApiManifest} of everything below, with the hashes of the served bytes. */
    public static final String MANIFEST = ROOT + "manifest.json";
    public static final String V2_JSON = ROOT + "v2/swagger.json";
    public static final String V2_PROTOBUF = ROOT + "v2/swagger.pb";

    private OpenApiResources() {
    }

    /** The resource of the v3 document served at {@code /openapi/v3/<path>}, e.g. path {@code apis/apps/v1}. */
    public static String v3Document(String path) {
        return ROOT + "v3/" + path + ".json";
    }
}
