/**
 * The schema that drives the protobuf codec: the Kubernetes messages of the served kinds, reduced to what the
 * codec needs (field numbers, JSON names, value types, Go's zero-value rules). The build makes it from the pinned
 * release's .proto files and Go types ({@code protobuf.build}) and ships it as {@link
 * dev.kumo.apiserver.protobuf.schema.SchemaFile#RESOURCE}.
 */
package dev.kumo.apiserver.protobuf.schema;
