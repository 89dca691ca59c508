/**
 * Kubernetes' protobuf serialization ({@code application/vnd.kubernetes.protobuf}), which kubectl and client-go
 * use for built-in kinds: {@link dev.kumo.apiserver.protobuf.KubernetesProtobuf} turns request bodies into kumo's
 * JSON objects and objects into response bodies.
 *
 * <p>No protobuf library at run time: a small wire reader and writer walk a schema the build made from the pinned
 * release's .proto files and Go types ({@code protobuf.schema}), and map the Go types with their own JSON form
 * (Time, MicroTime, Quantity, IntOrString, RawExtension, FieldsV1, {@code []byte}, inline structs) by hand.
 */
package dev.kumo.apiserver.protobuf;
