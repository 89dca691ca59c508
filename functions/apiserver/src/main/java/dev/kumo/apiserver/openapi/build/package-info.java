/**
 * Build-time only (left out of the jars): the {@code exec} step of the apiserver build runs {@link
 * dev.kumo.apiserver.openapi.build.OpenApiGenerator} on the downloaded Kubernetes archive to make the resources
 * {@link dev.kumo.apiserver.openapi.OpenApiDocuments} serves. To serve more resources, extend {@code ServedApis}.
 */
package dev.kumo.apiserver.openapi.build;
