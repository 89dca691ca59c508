package dev.kumo.apiserver.protobuf.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoStructsTest {
    private static final String SOURCE = """
            package v1

            // Probe describes a health check.
            type Probe struct {
            	// The action taken to determine the health of a container
            	ProbeHandler `json:",inline" protobuf:"bytes,1,opt,name=handler"`
            	// +optional
            	InitialDelaySeconds int32 `json:"initialDelaySeconds,omitempty" protobuf:"varint,2,opt,name=initialDelaySeconds"`
            	// TerminationGracePeriodSeconds *int64 `json:"old,omitempty" protobuf:"varint,9,opt,name=old"`
            	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty" protobuf:"varint,7,opt,name=terminationGracePeriodSeconds"`
            	Name string `json:"name" protobuf:"bytes,8,opt,name=name"`
            	Ports []ContainerPort `json:"ports,omitempty" patchStrategy:"merge" patchMergeKey:"containerPort" protobuf:"bytes,6,rep,name=ports"`
            	internal string `json:"-" protobuf:"-"`
            }

            type Pod struct {
            	metav1.TypeMeta `json:",inline"`
            	metav1.ObjectMeta `json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"`
            }
            """;

    @Test
    void readsTheProtobufTaggedFieldsOfEachStruct() {
        Map<String, Map<Integer, GoField>> structs = GoStructs.parse(List.of(SOURCE));

        assertThat(structs.get("Probe")).containsOnlyKeys(1, 2, 6, 7, 8)
                .containsEntry(1, new GoField(1, "", false, false, true))
                .containsEntry(2, new GoField(2, "initialDelaySeconds", false, true, false))
                .containsEntry(6, new GoField(6, "ports", false, true, false))
                .containsEntry(7, new GoField(7, "terminationGracePeriodSeconds", true, true, false))
                .containsEntry(8, new GoField(8, "name", false, false, false));
        assertThat(structs.get("Pod")).containsOnlyKeys(1)
                .containsEntry(1, new GoField(1, "metadata", false, true, false));
    }
}
