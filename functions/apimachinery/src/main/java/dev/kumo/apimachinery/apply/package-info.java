/**
 * Server-side apply and field ownership ({@code metadata.managedFields}), following Kubernetes'
 * structured-merge-diff.
 *
 * <p>{@link dev.kumo.apimachinery.apply.FieldManager} is the entry point: {@code apply} merges an apply
 * configuration into the live object and answers {@link dev.kumo.apimachinery.apply.ApplyResult.Applied}
 * or {@link dev.kumo.apimachinery.apply.ApplyResult.Conflicted}; {@code recordUpdate} records any other
 * write. Field sets ({@link dev.kumo.apimachinery.apply.FieldSet}) are computed with the
 * {@link dev.kumo.apimachinery.patch.schema.MergeSchema} and written in the {@code FieldsV1} format.
 *
 * <p>As in Kubernetes: the server's metadata fields (name, uid, resourceVersion, ...) are never owned;
 * an apply to an object that has no managedFields first gives its existing fields to the Update manager
 * {@code before-first-apply}; an update of an existing object without managedFields is not tracked; a
 * client may replace managedFields by sending them, or clear them by sending {@code [{}]}; conflicts name
 * Update managers with their API version.
 *
 * <h2>Where this differs from Kubernetes</h2>
 * <ul>
 *   <li>No conversion between API versions: the field paths of every entry are read as if they were the
 *       same in the version being written.</li>
 *   <li>No cap on the number of Update entries (Kubernetes folds the oldest into
 *       {@code ancient-changes} beyond ten), no handling of the
 *       {@code kubectl.kubernetes.io/last-applied-configuration} annotation, no union normalization.</li>
 *   <li>Objects are untyped JSON, so an Update that creates a struct such as {@code spec} also owns
 *       {@code .spec} itself ({@code "f:spec": {".": {}, ...}}), as Kubernetes does for custom resources;
 *       for built-in types Kubernetes omits that member because Go's zero values make the struct exist
 *       before the write. Ownership and conflicts are unaffected.</li>
 *   <li>In stored objects, a list whose items cannot all be identified (duplicate keys, a missing key
 *       without default, items of the wrong type) is handled as atomic for that write; Kubernetes tracks
 *       duplicates item by item. In an apply configuration they are rejected
 *       ({@link dev.kumo.apimachinery.apply.MalformedApplyConfigurationException}), as Kubernetes does.</li>
 *   <li>Values whose JSON type contradicts the schema are handled as untyped rather than rejected:
 *       validating objects is the API server's job. Nulls in an apply configuration are merged as values,
 *       as structured-merge-diff does; the API server drops or rejects them.</li>
 *   <li>Times are written with second precision, like {@code metav1.Time}.</li>
 * </ul>
 */
package dev.kumo.apimachinery.apply;
