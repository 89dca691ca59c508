package dev.kumo.controllers.endpoints;

import dev.kumo.controllers.runtime.Result;

import java.util.Optional;
import java.util.Set;

/** One endpoints controller's work for one service, and what it remembers of the pods it listed. */
public interface ServiceSync {
    /**
     * Makes the service's managed objects match its pods now.
     *
     * @param service the service as just read, or empty when it no longer exists
     */
    Result sync(String namespace, String name, Optional<ServiceInfo> service) throws Exception;

    /** The names of the services whose managed objects in {@code namespace} list the pod (by name) now. */
    Set<String> servicesListing(String namespace, String podName);
}
