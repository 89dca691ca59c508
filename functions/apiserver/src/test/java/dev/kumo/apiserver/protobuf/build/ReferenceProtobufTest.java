package dev.kumo.apiserver.protobuf.build;

import static dev.kumo.apiserver.protobuf.Fixtures.PROTOBUF;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.kumo.apiserver.protobuf.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The codec's bytes against Google's reference implementation over the same .proto files: it reads them with no
 * field left unknown (every field number and wire type the codec writes is the schema's) and writes them back
 * byte for byte; particular fields hold what Go's types put there; and the codec reads what it writes.
 */
class ReferenceProtobufTest {
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final String UNKNOWN = "k8s.io.apimachinery.pkg.runtime.Unknown";
    private static ReferenceProtobuf reference;

    @BeforeAll
    static void load() throws Exception {
        reference = ReferenceProtobuf.load(List.of("k8s.io/api/core/v1", "k8s.io/api/apps/v1",
                "k8s.io/api/coordination/v1", "k8s.io/api/discovery/v1", "k8s.io/api/events/v1",
                "k8s.io/api/autoscaling/v1", "k8s.io/apimachinery/pkg/apis/meta/v1", "k8s.io/apimachinery/pkg/runtime",
                "k8s.io/apimachinery/pkg/runtime/schema", "k8s.io/apimachinery/pkg/api/resource",
                "k8s.io/apimachinery/pkg/util/intstr"));
    }

    @ParameterizedTest
    @CsvSource({
            "pod, k8s.io.api.core.v1.Pod",
            "service, k8s.io.api.core.v1.Service",
            "secret, k8s.io.api.core.v1.Secret",
            "deployment, k8s.io.api.apps.v1.Deployment",
            "lease, k8s.io.api.coordination.v1.Lease",
            "event, k8s.io.api.events.v1.Event",
            "core-event, k8s.io.api.core.v1.Event",
            "status, k8s.io.apimachinery.pkg.apis.meta.v1.Status",
            "configmap-list, k8s.io.api.core.v1.ConfigMapList",
            "delete-options, k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
            "binding, k8s.io.api.core.v1.Binding",
            "scale, k8s.io.api.autoscaling.v1.Scale",
            "endpoint-slice, k8s.io.api.discovery.v1.EndpointSlice",
            "controller-revision, k8s.io.api.apps.v1.ControllerRevision",
            "namespace, k8s.io.api.core.v1.Namespace"})
    void theReferenceReadsEveryFieldAndWritesTheSameBytes(String fixture, String message) {
        ObjectNode object = Fixtures.object(fixture);
        byte[] body = PROTOBUF.encode(object);
        assertThat(Arrays.copyOf(body, 4)).isEqualTo(MAGIC);
        byte[] envelope = Arrays.copyOfRange(body, 4, body.length);

        DynamicMessage unknown = reference.parse(UNKNOWN, envelope);
        assertThat(unknown.toByteArray()).isEqualTo(envelope);
        assertThat(field(unknown, "typeMeta", "apiVersion")).isEqualTo(object.get("apiVersion").asText());
        assertThat(field(unknown, "typeMeta", "kind")).isEqualTo(object.get("kind").asText());

        byte[] raw = ((ByteString) field(unknown, "raw")).toByteArray();
        DynamicMessage decoded = reference.parse(message, raw);
        assertNoUnknownFields(decoded, message);
        assertThat(decoded.toByteArray()).isEqualTo(raw);
    }

    @Test
    void serviceTargetPortsAreIntOrStrings() {
        Message service = parse("service", "k8s.io.api.core.v1.Service");

        assertThat(intOrString(field(service, "spec", "ports[0]", "targetPort"))).isEqualTo(List.of(0L, 8080, ""));
        assertThat(intOrString(field(service, "spec", "ports[1]", "targetPort"))).isEqualTo(List.of(1L, 0, "metrics"));
        assertThat(field(service, "spec", "ports[1]", "nodePort")).isEqualTo(30090);
    }

    @Test
    void podInlineStructsQuantitiesTimesAndFieldsV1() {
        Message pod = parse("pod", "k8s.io.api.core.v1.Pod");

        assertThat(field(pod, "spec", "volumes[0]", "volumeSource", "configMap", "localObjectReference", "name"))
                .isEqualTo("app-config");
        assertThat(field(pod, "spec", "volumes[0]", "volumeSource", "configMap", "defaultMode")).isEqualTo(420);
        assertThat(field(pod, "spec", "volumes[0]", "volumeSource", "configMap", "optional")).isEqualTo(false);
        assertThat(intOrString(field(pod, "spec", "containers[0]", "livenessProbe", "handler", "httpGet", "port")))
                .isEqualTo(List.of(1L, 0, "http"));
        assertThat(field(pod, "spec", "containers[0]", "env[1]", "valueFrom", "configMapKeyRef", "localObjectReference", "name"))
                .isEqualTo("app-config");
        assertThat(mapEntries(field(pod, "spec", "containers[0]", "resources", "limits")))
                .containsEntry("cpu", "500m").containsEntry("nvidia.com/gpu", "1");
        assertThat(field(pod, "metadata", "creationTimestamp", "seconds")).isEqualTo(1714558830L);
        assertThat(field(pod, "metadata", "deletionGracePeriodSeconds")).isEqualTo(0L);
        assertThat(((ByteString) field(pod, "metadata", "managedFields[0]", "fieldsV1", "Raw")).toStringUtf8())
                .isEqualTo("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}}}");
    }

    @Test
    void secretDataIsRawBytes() {
        Message secret = parse("secret", "k8s.io.api.core.v1.Secret");

        assertThat(mapEntries(field(secret, "data")))
                .containsEntry("tls.key", ByteString.copyFrom(new byte[]{0, (byte) 0xff, 0, (byte) 0x80, 0x7f, 0x7e, (byte) 0x81}))
                .containsEntry("empty", ByteString.EMPTY);
    }

    @Test
    void deploymentZeroReplicasAndStrategy() {
        Message deployment = parse("deployment", "k8s.io.api.apps.v1.Deployment");

        assertThat(deployment.getField(descriptor(deployment, "spec")) instanceof Message spec
                && spec.hasField(spec.getDescriptorForType().findFieldByName("replicas"))).isTrue();
        assertThat(field(deployment, "spec", "replicas")).isEqualTo(0);
        assertThat(intOrString(field(deployment, "spec", "strategy", "rollingUpdate", "maxSurge"))).isEqualTo(List.of(1L, 0, "25%"));
        assertThat(intOrString(field(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"))).isEqualTo(List.of(0L, 1, ""));
    }

    @Test
    void microTimesKeepMicroseconds() {
        Message lease = parse("lease", "k8s.io.api.coordination.v1.Lease");
        Message event = parse("event", "k8s.io.api.events.v1.Event");

        assertThat(field(lease, "spec", "acquireTime", "nanos")).isEqualTo(123456000);
        assertThat(field(event, "eventTime", "seconds")).isEqualTo(1714558830L);
        assertThat(field(event, "eventTime", "nanos")).isEqualTo(654321000);
    }

    /** The other direction: the codec reads what protobuf-java writes. */
    @Test
    void readsWhatTheReferenceWrites() {
        Descriptor serviceType = reference.message("k8s.io.api.core.v1.Service");
        Message targetPort = builder("k8s.io.apimachinery.pkg.util.intstr.IntOrString")
                .setField(fieldOf("k8s.io.apimachinery.pkg.util.intstr.IntOrString", "type"), 1L)
                .setField(fieldOf("k8s.io.apimachinery.pkg.util.intstr.IntOrString", "strVal"), "http").build();
        Message port = builder("k8s.io.api.core.v1.ServicePort")
                .setField(fieldOf("k8s.io.api.core.v1.ServicePort", "port"), 80)
                .setField(fieldOf("k8s.io.api.core.v1.ServicePort", "targetPort"), targetPort).build();
        Message spec = builder("k8s.io.api.core.v1.ServiceSpec")
                .addRepeatedField(fieldOf("k8s.io.api.core.v1.ServiceSpec", "ports"), port)
                .setField(fieldOf("k8s.io.api.core.v1.ServiceSpec", "type"), "ClusterIP").build();
        Message service = DynamicMessage.newBuilder(serviceType)
                .setField(serviceType.findFieldByName("spec"), spec).build();
        Message typeMeta = builder("k8s.io.apimachinery.pkg.runtime.TypeMeta")
                .setField(fieldOf("k8s.io.apimachinery.pkg.runtime.TypeMeta", "apiVersion"), "v1")
                .setField(fieldOf("k8s.io.apimachinery.pkg.runtime.TypeMeta", "kind"), "Service").build();
        Message unknown = builder(UNKNOWN)
                .setField(fieldOf(UNKNOWN, "typeMeta"), typeMeta)
                .setField(fieldOf(UNKNOWN, "raw"), service.toByteString()).build();
        byte[] body = ByteString.copyFrom(MAGIC).concat(unknown.toByteString()).toByteArray();

        assertThat(PROTOBUF.decode(body)).isEqualTo(Fixtures.json("""
                {"apiVersion": "v1", "kind": "Service",
                 "spec": {"ports": [{"port": 80, "targetPort": "http"}], "type": "ClusterIP"}}
                """));
    }

    private static Message parse(String fixture, String message) {
        byte[] body = PROTOBUF.encode(Fixtures.object(fixture));
        DynamicMessage unknown = reference.parse(UNKNOWN, Arrays.copyOfRange(body, 4, body.length));
        return reference.parse(message, ((ByteString) field(unknown, "raw")).toByteArray());
    }

    /** A field's value down a path of names, {@code name[i]} picking an element of a repeated field. */
    private static Object field(Message message, String... path) {
        Object current = message;
        for (String step : path) {
            Message at = (Message) current;
            int bracket = step.indexOf('[');
            String name = bracket < 0 ? step : step.substring(0, bracket);
            FieldDescriptor field = descriptor(at, name);
            current = bracket < 0
                    ? at.getField(field)
                    : at.getRepeatedField(field, Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
        }
        return current;
    }

    private static FieldDescriptor descriptor(Message message, String name) {
        FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
        if (field == null) {
            throw new AssertionError(message.getDescriptorForType().getFullName() + " has no field " + name);
        }
        return field;
    }

    private static List<Object> intOrString(Object value) {
        Message message = (Message) value;
        return List.of(field(message, "type"), field(message, "intVal"), field(message, "strVal"));
    }

    /** A map field's entries, Quantity values by their string. */
    private static Map<String, Object> mapEntries(Object entries) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (Object entry : (List<?>) entries) {
            Message message = (Message) entry;
            Object value = field(message, "value");
            map.put((String) field(message, "key"), value instanceof Message quantity ? field(quantity, "string") : value);
        }
        return map;
    }

    private static void assertNoUnknownFields(Message message, String path) {
        assertThat(message.getUnknownFields().asMap()).as("unknown fields in %s", path).isEmpty();
        message.getAllFields().forEach((field, value) -> {
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                return;
            }
            List<?> values = field.isRepeated() ? (List<?>) value : List.of(value);
            for (Object element : values) {
                assertNoUnknownFields((Message) element, path + "." + field.getName());
            }
        });
    }

    private static DynamicMessage.Builder builder(String message) {
        return DynamicMessage.newBuilder(reference.message(message));
    }

    private static FieldDescriptor fieldOf(String message, String field) {
        return reference.message(message).findFieldByName(field);
    }
}
