package dev.kumo.apiserver.protobuf.build;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.internal.SchemaEncoder;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * protobuf-java, Google's reference implementation, over the Kubernetes .proto files: Wire parses them (as the
 * build does) and encodes them as descriptors, from which protobuf-java's DynamicMessage reads and writes.
 */
final class ReferenceProtobuf {
    private final Map<String, FileDescriptor> files = new HashMap<>();
    private final Map<String, FileDescriptorProto> protos = new HashMap<>();

    private ReferenceProtobuf(Schema schema) {
        SchemaEncoder encoder = new SchemaEncoder(schema);
        for (ProtoFile file : schema.getProtoFiles()) {
            try {
                protos.put(file.getLocation().getPath(), FileDescriptorProto.parseFrom(encoder.encode(file).toByteArray()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("Wire's descriptor of " + file.getLocation().getPath() + " does not parse", e);
            }
        }
    }

    static ReferenceProtobuf load(List<String> goPackages) throws IOException {
        try (KubernetesModules modules = TestModules.open()) {
            return new ReferenceProtobuf(ProtoFiles.load(modules, goPackages));
        }
    }

    Descriptor message(String fullName) {
        int lastDot = fullName.lastIndexOf('.');
        String protoPackage = fullName.substring(0, lastDot);
        for (String path : protos.keySet()) {
            FileDescriptor file = file(path);
            if (file.getPackage().equals(protoPackage) && file.findMessageTypeByName(fullName.substring(lastDot + 1)) != null) {
                return file.findMessageTypeByName(fullName.substring(lastDot + 1));
            }
        }
        throw new IllegalArgumentException("no message " + fullName);
    }

    DynamicMessage parse(String fullName, byte[] bytes) {
        try {
            return DynamicMessage.parseFrom(message(fullName), bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("protobuf-java cannot read these bytes as " + fullName, e);
        }
    }

    private FileDescriptor file(String path) {
        FileDescriptor built = files.get(path);
        if (built != null) {
            return built;
        }
        FileDescriptorProto proto = protos.get(path);
        if (proto == null) {
            throw new IllegalArgumentException("no .proto file " + path);
        }
        FileDescriptor[] dependencies = proto.getDependencyList().stream().map(this::file).toArray(FileDescriptor[]::new);
        try {
            built = FileDescriptor.buildFrom(proto, dependencies);
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("invalid descriptor for " + path, e);
        }
        files.put(path, built);
        return built;
    }
}
