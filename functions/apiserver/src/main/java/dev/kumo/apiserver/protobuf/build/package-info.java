/**
 * Build-time only (left out of the jars): the {@code protobuf-schema} exec step of the apiserver build runs
 * {@link dev.kumo.apiserver.protobuf.build.ProtobufSchemaGenerator} on the downloaded k8s.io/api and
 * k8s.io/apimachinery module archives to make the schema the protobuf codec loads. To serve more groups, extend
 * {@code ServedPackages}.
 */
package dev.kumo.apiserver.protobuf.build;
