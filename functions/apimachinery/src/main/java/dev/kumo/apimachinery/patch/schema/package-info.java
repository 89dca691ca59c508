/**
 * The structural hints of Kubernetes' OpenAPI that patches and server-side apply depend on.
 *
 * <p>{@link dev.kumo.apimachinery.patch.schema.MergeSchema} finds the root
 * {@link dev.kumo.apimachinery.patch.schema.SchemaNode} of a kind; nodes answer
 * {@code x-kubernetes-list-type} / {@code -list-map-keys}, {@code x-kubernetes-map-type},
 * {@code x-kubernetes-patch-strategy} / {@code -patch-merge-key}, declared fields and defaults.
 * {@link dev.kumo.apimachinery.patch.schema.OpenApiMergeSchema} reads them from an OpenAPI v3 (or v2)
 * document, resolving {@code $ref} and {@code allOf} lazily; custom resources are added with
 * {@code withKind} from their {@code openAPIV3Schema}.
 *
 * <p>Where no schema is known the defaults of Kubernetes for unknown data apply: lists are atomic and
 * replaced, maps are granular, nothing has a patch strategy. {@code metadata} of any top-level object is
 * {@code ObjectMeta}, as Kubernetes does for custom resources. A list without {@code x-kubernetes-list-type}
 * gets the type Kubernetes derives from its patch strategy (a map keyed by the merge key, a set, or atomic).
 */
package dev.kumo.apimachinery.patch.schema;
