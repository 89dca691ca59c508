package dev.kumo.apiserver.auth.tokens;

import com.nimbusds.jwt.SignedJWT;
import dev.kumo.apimachinery.aws.AwsClients;
import dev.kumo.apimachinery.store.testing.MotoServer;
import dev.kumo.apiserver.auth.tokens.ServiceAccountClaims.ObjectRef;
import dev.kumo.apiserver.lambda.TokenFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The KMS signing key against a real KMS emulator (moto's server): tokens signed by KMS Sign verify with the key
 * GetPublicKey returns, and keys that cannot sign RS256 are refused. Skipped when moto is not installed.
 */
@Tag("slow")
class KmsSigningKeyTest {
    private static MotoServer moto;
    private static Map<String, String> env;
    private static KmsClient kms;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.allServices();
        env = Map.of(TokenFactory.ENV_KMS_ENDPOINT, moto.endpoint(), "AWS_REGION", "eu-west-1");
        kms = AwsClients.kms(env);
    }

    @AfterAll
    static void stopMoto() {
        if (kms != null) {
            kms.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void tokensSignedByKmsVerifyWithItsPublicKey() throws Exception {
        String keyId = createKey(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        KmsSigningKey key = new KmsSigningKey(kms, keyId);
        TokenIssuer issuer = new TokenIssuer(key, TokenSettings.defaults(), Clock.systemUTC());

        String token = issuer.serviceAccountToken(ServiceAccountClaims.forServiceAccount("default",
                new ObjectRef("app", "uid-1")), TokenSettings.defaults().apiAudiences(), 3600).token();

        byte[] kmsPublicKey = kms.getPublicKey(r -> r.keyId(keyId)).publicKey().asByteArray();
        assertThat(key.publicKey()).isEqualTo(KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(kmsPublicKey)));
        assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(key.keyId());
        assertThat(issuer.serviceAccountVerifier().verify(token).orElseThrow().getSubject())
                .isEqualTo("system:serviceaccount:default:app");
    }

    @Test
    void theFunctionEnvironmentNamesTheKmsKey() {
        String keyId = createKey(KeySpec.RSA_3072, KeyUsageType.SIGN_VERIFY);
        Map<String, String> withKey = new HashMap<>(env);
        withKey.put(TokenFactory.ENV_SERVICE_ACCOUNT_KMS_KEY_ID, keyId);

        TokenIssuer issuer = TokenFactory.issuer(withKey, Clock.systemUTC());

        assertThat(issuer.key()).isInstanceOf(KmsSigningKey.class);
        String node = issuer.nodeToken("node-1", issuer.settings().apiAudiences(), 600).token();
        assertThat(issuer.nodeVerifier().verify(node)).isPresent();
    }

    @Test
    void keysThatCannotSignRs256AreRefused() {
        String encryption = createKey(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        String ecc = createKey(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);

        assertThatThrownBy(() -> new KmsSigningKey(kms, encryption)).hasMessageContaining("SIGN_VERIFY")
                .hasMessageContaining(encryption);
        assertThatThrownBy(() -> new KmsSigningKey(kms, ecc)).hasMessageContaining("RSASSA_PKCS1_V1_5_SHA_256");
    }

    private static String createKey(KeySpec spec, KeyUsageType usage) {
        return kms.createKey(r -> r.keySpec(spec).keyUsage(usage).description("kumo test key")).keyMetadata()
                .keyId();
    }
}
