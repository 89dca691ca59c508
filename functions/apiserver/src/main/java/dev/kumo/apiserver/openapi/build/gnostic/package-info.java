/**
 * Build-time only: a swagger 2.0 document as gnostic's {@code openapi.v2.Document} protobuf, written from the
 * field numbers of {@code openapiv2/OpenAPIv2.proto} (github.com/google/gnostic-models) without protobuf-java.
 */
package dev.kumo.apiserver.openapi.build.gnostic;
