package dev.kumo.apimachinery.store.encryption;

import dev.kumo.apimachinery.aws.AwsClients;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encryption at rest from a function's environment. In AWS a KMS key ({@code KUMO_KMS_KEY_ID}) wraps the data
 * keys; in the local cluster a key file ({@code KUMO_ENCRYPTION_KEY_FILE}). With both, writes use KMS and values
 * written under the key file stay readable (moving from one to the other). {@code KUMO_ENCRYPTED_RESOURCES} lists
 * the store resources to encrypt (default {@code secrets}).
 */
public final class StorageEncryption {
    public static final String ENV_KEY_FILE = "KUMO_ENCRYPTION_KEY_FILE";
    public static final String ENV_KMS_KEY_ID = "KUMO_KMS_KEY_ID";
    /** For tests against a KMS emulator; AWS uses the region's endpoint. */
    public static final String ENV_KMS_ENDPOINT = AwsClients.ENV_KMS_ENDPOINT;
    public static final String ENV_RESOURCES = "KUMO_ENCRYPTED_RESOURCES";
    public static final String LOCAL_PROVIDER = "local";
    public static final String KMS_PROVIDER = "aws-kms";

    private StorageEncryption() {
    }

    public static ResourceTransformers fromEnvironment(Map<String, String> env) {
        List<EnvelopeTransformer> providers = new ArrayList<>();
        String kmsKey = env.get(ENV_KMS_KEY_ID);
        if (kmsKey != null && !kmsKey.isBlank()) {
            providers.add(new EnvelopeTransformer(KMS_PROVIDER, new AwsKmsKey(AwsClients.kms(env), kmsKey.strip())));
        }
        String keyFile = env.get(ENV_KEY_FILE);
        if (keyFile != null && !keyFile.isBlank()) {
            providers.add(new EnvelopeTransformer(LOCAL_PROVIDER, LocalKeyFile.load(Path.of(keyFile.strip()))));
        }
        if (providers.isEmpty()) {
            return ResourceTransformers.NONE;
        }
        return new ResourceTransformers(encryptedResources(env), providers);
    }

    /** The store resources encrypted at rest under this environment ({@code secrets} unless told otherwise). */
    public static Set<String> encryptedResources(Map<String, String> env) {
        return resources(env.getOrDefault(ENV_RESOURCES, "secrets"));
    }

    private static Set<String> resources(String list) {
        Set<String> resources = new LinkedHashSet<>();
        Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(resources::add);
        return resources;
    }
}
