package dev.kumo.controllers.lambda;

import java.util.List;

/**
 * Loops that live outside this module (the cloud controller's, which depend on a cloud SDK this module must not
 * carry), found with {@link java.util.ServiceLoader} when {@link LoopCatalog} loads: a jar that holds a source and a
 * {@code META-INF/services/dev.kumo.controllers.lambda.LoopSource} entry adds its loops to the catalog, and so to
 * the fan-out, the local cluster and any host that runs from that jar.
 */
public interface LoopSource {
    List<LoopCatalog.Entry> entries();
}
