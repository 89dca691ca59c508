package dev.kumo.apimachinery.store.encryption;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

import java.util.Map;

/**
 * A key-encryption key in AWS KMS: {@code GenerateDataKey} makes each data key, {@code Decrypt} unwraps one. An
 * encryption context names the purpose, so a wrapped data key is not accepted by KMS for anything else (and
 * shows in CloudTrail).
 */
public final class AwsKmsKey implements KeyEncryptionKey {
    private static final Map<String, String> CONTEXT = Map.of("kumo", "storage-data-key");

    private final KmsClient kms;
    private final String keyId;

    /** @param keyId a key id, key ARN, alias name or alias ARN */
    public AwsKmsKey(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public DataKey generateDataKey() {
        GenerateDataKeyResponse response;
        try {
            response = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(CONTEXT));
        } catch (SdkException e) {
            throw new TransformException("AWS KMS could not generate a data key with key " + keyId + ": "
                    + e.getMessage(), e);
        }
        return new DataKey(response.plaintext().asByteArray(), response.ciphertextBlob().asByteArray(),
                response.keyId());
    }

    @Override
    public byte[] unwrap(String wrappedBy, byte[] wrapped) {
        DecryptResponse response;
        try {
            response = kms.decrypt(b -> b.keyId(wrappedBy).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(CONTEXT));
        } catch (SdkException e) {
            throw new TransformException("AWS KMS could not decrypt the data key wrapped by " + wrappedBy + ": "
                    + e.getMessage(), e);
        }
        return response.plaintext().asByteArray();
    }

    @Override
    public String keyId() {
        return keyId;
    }
}
