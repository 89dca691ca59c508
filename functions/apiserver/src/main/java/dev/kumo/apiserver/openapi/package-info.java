/**
 * The OpenAPI documents kumo publishes, for {@code kubectl explain} and kubectl's client-side validation.
 *
 * <p>They are the official documents of the pinned Kubernetes release, cut down at build time to the resources
 * kumo serves (see {@code build.ServedApis}) and shipped as classpath resources below {@code openapi/}: swagger 2.0
 * as JSON and as gnostic's protobuf (kubectl 1.28 accepts nothing else at {@code /openapi/v2}), and one OpenAPI
 * 3.0 document per group-version (kubectl 1.32 uses {@code /openapi/v3}). At run time {@link
 * dev.kumo.apiserver.openapi.OpenApiDocuments} reads them and {@link dev.kumo.apiserver.openapi.OpenApiEndpoints}
 * answers requests for them with kube-apiserver's headers; nothing is converted in the Lambda.
 */
package dev.kumo.apiserver.openapi;
