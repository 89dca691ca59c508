package dev.kumo.apiserver.protobuf.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kumo.apiserver.protobuf.schema.Cardinality;
import dev.kumo.apiserver.protobuf.schema.Field;
import dev.kumo.apiserver.protobuf.schema.MessageType;
import dev.kumo.apiserver.protobuf.schema.ProtoSchema;
import dev.kumo.apiserver.protobuf.schema.SchemaFile;
import dev.kumo.apiserver.protobuf.schema.TypeName;
import dev.kumo.apiserver.protobuf.schema.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The schema made from the real module archives: the kinds it serves and the Go rules it picked up. */
class ProtobufSchemaGeneratorTest {
    private static ProtoSchema schema;

    @BeforeAll
    static void generate() throws Exception {
        try (KubernetesModules modules = TestModules.open()) {
            schema = ProtobufSchemaGenerator.generate(modules);
        }
    }

    @Test
    void servesEachPackagesKindsAndTheMetaKindsOfEveryGroupVersion() {
        assertThat(kind("v1", "Pod").name()).isEqualTo("k8s.io.api.core.v1.Pod");
        assertThat(kind("v1", "ConfigMapList").name()).isEqualTo("k8s.io.api.core.v1.ConfigMapList");
        assertThat(kind("v1", "Binding").name()).isEqualTo("k8s.io.api.core.v1.Binding");
        assertThat(kind("apps/v1", "Deployment").name()).isEqualTo("k8s.io.api.apps.v1.Deployment");
        assertThat(kind("autoscaling/v1", "Scale").name()).isEqualTo("k8s.io.api.autoscaling.v1.Scale");
        assertThat(kind("events.k8s.io/v1", "Event").name()).isEqualTo("k8s.io.api.events.v1.Event");
        assertThat(kind("v1", "Status").name()).isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.Status");
        assertThat(kind("apps/v1", "DeleteOptions").name()).isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions");
        assertThat(kind("meta.k8s.io/v1", "DeleteOptions").name()).isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions");
        assertThat(kind("coordination.k8s.io/v1", "WatchEvent").name()).isEqualTo("k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent");
        assertThat(schema.kind(new TypeName("v1", "List"))).isEmpty();
        assertThat(schema.kind(new TypeName("apps/v1", "Status"))).isEmpty();
    }

    @Test
    void goInlineStructsBecomeInlineFields() {
        assertThat(field("k8s.io.api.core.v1.Volume", 2))
                .isEqualTo(new Field(2, "volumeSource", Cardinality.INLINE, ValueType.MESSAGE,
                        index("k8s.io.api.core.v1.VolumeSource"), false));
        assertThat(field("k8s.io.api.core.v1.Probe", 1).cardinality()).isEqualTo(Cardinality.INLINE);
    }

    @Test
    void zeroValuesShowWhereGoShowsThem() {
        assertThat(field("k8s.io.api.apps.v1.DeploymentSpec", 1).keepsZero()).as("*int32 replicas").isTrue();
        assertThat(field("k8s.io.api.core.v1.Container", 5).keepsZero()).as("workingDir,omitempty").isFalse();
        assertThat(field("k8s.io.api.core.v1.Container", 1).keepsZero()).as("name without omitempty").isTrue();
    }

    @Test
    void customJsonTypesAndMaps() {
        assertThat(field("k8s.io.api.core.v1.Secret", 2))
                .isEqualTo(new Field(2, "data", Cardinality.MAP, ValueType.BYTES, -1, false));
        assertThat(field("k8s.io.api.core.v1.ResourceRequirements", 1).type()).isEqualTo(ValueType.QUANTITY);
        assertThat(field("k8s.io.api.core.v1.ServicePort", 4).type()).isEqualTo(ValueType.INT_OR_STRING);
        assertThat(field("k8s.io.api.coordination.v1.LeaseSpec", 3).type()).isEqualTo(ValueType.MICRO_TIME);
        assertThat(field("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", 8).type()).isEqualTo(ValueType.TIME);
        assertThat(field("k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry", 7).type()).isEqualTo(ValueType.FIELDS_V1);
        assertThat(field("k8s.io.api.apps.v1.ControllerRevision", 2).type()).isEqualTo(ValueType.RAW_EXTENSION);
    }

    @Test
    void theShippedResourceIsThisSchema() throws Exception {
        ProtoSchema shipped;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SchemaFile.RESOURCE)) {
            assertThat(in).as(SchemaFile.RESOURCE).isNotNull();
            shipped = SchemaFile.read(in);
        }
        assertThat(shipped).isEqualTo(schema);

        ByteArrayOutputStream written = new ByteArrayOutputStream();
        SchemaFile.write(schema, written);
        assertThat(SchemaFile.read(new ByteArrayInputStream(written.toByteArray()))).isEqualTo(schema);
    }

    private static MessageType kind(String apiVersion, String kind) {
        return schema.kind(new TypeName(apiVersion, kind)).orElseThrow(() -> new AssertionError(apiVersion + " " + kind));
    }

    private static int index(String message) {
        for (int i = 0; i < schema.messages().size(); i++) {
            if (schema.message(i).name().equals(message)) {
                return i;
            }
        }
        throw new AssertionError("no message " + message);
    }

    private static Field field(String message, int number) {
        return schema.message(index(message)).field(number);
    }
}
