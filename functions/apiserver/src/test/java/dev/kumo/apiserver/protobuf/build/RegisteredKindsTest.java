package dev.kumo.apiserver.protobuf.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegisteredKindsTest {
    @Test
    void readsTheKindsAddKnownTypesRegisters() {
        String register = """
                var SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

                func Resource(resource string) schema.GroupResource {
                	return SchemeGroupVersion.WithResource(resource).GroupResource()
                }

                func addKnownTypes(scheme *runtime.Scheme) error {
                	scheme.AddKnownTypes(SchemeGroupVersion,
                		&Lease{},
                		&LeaseList{},
                	)
                	metav1.AddToGroupVersion(scheme, SchemeGroupVersion)
                	return nil
                }

                var other = []runtime.Object{&NotAKind{}}
                """;

        assertThat(RegisteredKinds.parse(register)).containsExactly("Lease", "LeaseList");
    }

    @Test
    void aRegisterGoWithoutKindsStopsTheBuild() {
        assertThatThrownBy(() -> RegisteredKinds.parse("package v1\n")).hasMessageContaining("addKnownTypes");
    }
}
