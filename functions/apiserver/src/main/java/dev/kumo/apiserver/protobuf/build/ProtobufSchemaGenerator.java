package dev.kumo.apiserver.protobuf.build;

import com.squareup.wire.schema.Schema;
import dev.kumo.apiserver.protobuf.schema.ProtoSchema;
import dev.kumo.apiserver.protobuf.schema.SchemaFile;
import dev.kumo.apiserver.protobuf.schema.TypeName;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Build step: makes the protobuf codec's schema from the pinned k8s.io/api and k8s.io/apimachinery module
 * archives and writes it to {@link SchemaFile#RESOURCE} below the classes directory.
 *
 * <p>Usage: {@code ProtobufSchemaGenerator <k8s.io/api archive.zip> <k8s.io/apimachinery archive.zip> <classes directory>}
 */
public final class ProtobufSchemaGenerator {
    private ProtobufSchemaGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException(
                    "usage: ProtobufSchemaGenerator <k8s.io/api archive.zip> <k8s.io/apimachinery archive.zip> <classes directory>");
        }
        ProtoSchema schema;
        try (KubernetesModules modules = KubernetesModules.open(Path.of(args[0]), Path.of(args[1]))) {
            schema = generate(modules);
        }
        Path file = Path.of(args[2]).resolve(SchemaFile.RESOURCE);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            SchemaFile.write(schema, out);
        }
        System.out.printf("Protobuf schema: %d kinds, %d messages, %,d bytes, in %s%n",
                schema.kinds().size(), schema.messages().size(), Files.size(file), file);
    }

    static ProtoSchema generate(KubernetesModules modules) throws IOException {
        List<String> goPackages = new ArrayList<>();
        ServedPackages.ALL.forEach(apiPackage -> goPackages.add(apiPackage.goPackage()));
        goPackages.add(ServedPackages.META);

        Schema protos = ProtoFiles.load(modules, goPackages);
        Map<String, Map<Integer, GoField>> goStructs = new HashMap<>();
        for (String goPackage : goPackages) {
            List<String> sources = new ArrayList<>();
            for (String file : modules.goFiles(goPackage)) {
                sources.add(modules.read(file));
            }
            GoStructs.parse(sources).forEach((struct, fields) ->
                    goStructs.put(ServedPackages.protoPackage(goPackage) + "." + struct, fields));
        }
        return new SchemaCompiler(protos, goStructs).compile(kinds(modules));
    }

    /** Each served kind's proto message: the packages' registered kinds and the meta kinds of every group-version. */
    static Map<TypeName, String> kinds(KubernetesModules modules) throws IOException {
        Map<TypeName, String> kinds = new HashMap<>();
        Set<String> apiVersions = new LinkedHashSet<>();
        for (ServedPackages.ApiPackage apiPackage : ServedPackages.ALL) {
            apiVersions.add(apiPackage.apiVersion());
            for (String kind : RegisteredKinds.parse(modules.read(apiPackage.goPackage() + "/register.go"))) {
                if (ServedPackages.NOT_SERVED.contains(kind)) {
                    continue;
                }
                kinds.put(new TypeName(apiPackage.apiVersion(), kind), apiPackage.protoPackage() + "." + kind);
            }
        }
        apiVersions.add(ServedPackages.META_API_VERSION);
        String meta = ServedPackages.protoPackage(ServedPackages.META) + ".";
        for (String apiVersion : apiVersions) {
            for (String kind : ServedPackages.META_KINDS_IN_EVERY_GROUP_VERSION) {
                kinds.put(new TypeName(apiVersion, kind), meta + kind);
            }
        }
        kinds.put(new TypeName("v1", ServedPackages.STATUS), meta + ServedPackages.STATUS);
        return kinds;
    }
}
