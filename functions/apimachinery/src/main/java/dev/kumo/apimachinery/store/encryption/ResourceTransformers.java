package dev.kumo.apimachinery.store.encryption;

import java.util.List;
import java.util.Set;

/**
 * Which transformer each resource's values go through (Kubernetes' {@code EncryptionConfiguration}): the
 * configured resources are written encrypted; every resource can read values of every configured provider, so
 * that taking a resource off the list leaves its encrypted values readable.
 */
public final class ResourceTransformers {
    /** No encryption: values are written as they are; an encrypted value read says which provider is missing. */
    public static final ResourceTransformers NONE = new ResourceTransformers(Set.of(), List.of());

    private final Set<String> encrypted;
    private final ValueTransformer encrypting;
    private final ValueTransformer plain;

    /**
     * @param encrypted the store resources to encrypt ({@code secrets}, {@code apps/deployments}, ...)
     * @param providers the write provider first, then older ones kept for reading
     */
    public ResourceTransformers(Set<String> encrypted, List<EnvelopeTransformer> providers) {
        if (!encrypted.isEmpty() && providers.isEmpty()) {
            throw new IllegalArgumentException("resources " + encrypted + " are to be encrypted, but no key is configured");
        }
        this.encrypted = Set.copyOf(encrypted);
        this.plain = new PrefixTransformers(ValueTransformer.IDENTITY, providers);
        this.encrypting = providers.isEmpty() ? plain : new PrefixTransformers(providers.get(0), providers);
    }

    public ValueTransformer forResource(String resource) {
        return encrypted.contains(resource) ? encrypting : plain;
    }
}
