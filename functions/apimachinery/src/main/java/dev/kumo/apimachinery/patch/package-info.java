/**
 * The three patch types of the Kubernetes API, as pure functions
 * ({@link dev.kumo.apimachinery.patch.ObjectPatcher}): {@link dev.kumo.apimachinery.patch.JsonPatch}
 * (RFC 6902), {@link dev.kumo.apimachinery.patch.JsonMergePatch} (RFC 7386) and
 * {@link dev.kumo.apimachinery.patch.StrategicMergePatch}. They throw
 * {@link dev.kumo.apimachinery.patch.MalformedPatchException} (400) for an invalid patch document and
 * {@link dev.kumo.apimachinery.patch.PatchApplicationException} (422) for a patch that does not apply.
 *
 * <h2>Where the strategic merge patch differs from Kubernetes</h2>
 * <ul>
 *   <li>{@code $patch: merge} is accepted as the explicit default, on maps and list items; Kubernetes
 *       rejects it.</li>
 *   <li>A value the live object does not have (or has with another JSON type), a map under
 *       {@code $patch: replace} or a replace strategy, and list items that are added or replace a merging
 *       list are merged into an empty value: their nulls are dropped and their directives applied, never
 *       stored. {@code $patch: delete} on an absent map leaves it absent. Kubernetes stores some of these
 *       literally.</li>
 *   <li>Lists without a merge strategy are replaced by the patch's list as sent, as in Kubernetes.</li>
 *   <li>The directives of one object apply in a fixed order: {@code $retainKeys},
 *       {@code $setElementOrder/...}, {@code $deleteFromPrimitiveList/...}, then the fields (Kubernetes
 *       iterates a Go map). {@code $deleteFromPrimitiveList} values must be scalars.</li>
 *   <li>Numbers are equal when their values are ({@code 1} equals {@code 1.0}), for merge keys, set
 *       items and the JSON Patch {@code test} operation.</li>
 * </ul>
 *
 * <p>JSON Patch is implemented here rather than taken from a library: it is small, it keeps the Lambda
 * free of another dependency, and it gives the exceptions and messages above. A {@code test} of a path
 * that does not exist fails, as RFC 6902 says, whatever the value tested.
 */
package dev.kumo.apimachinery.patch;
