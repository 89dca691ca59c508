package dev.kumo.local.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The local cluster's certificates: a self-signed CA (kept across restarts, so kubeconfigs stay valid) and a
 * serving certificate for 127.0.0.1/localhost signed by it, under {@code <home>/pki}.
 */
public final class LocalPki {
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVING_VALIDITY = Duration.ofDays(365);

    private final X509Certificate caCertificate;
    private final KeyPair caKeys;
    private final Path directory;

    private LocalPki(Path directory, X509Certificate caCertificate, KeyPair caKeys) {
        this.directory = directory;
        this.caCertificate = caCertificate;
        this.caKeys = caKeys;
    }

    /** Loads the CA from {@code directory}, or creates it on first start. */
    public static LocalPki loadOrCreate(Path directory) {
        try {
            Files.createDirectories(directory);
            Path caCert = directory.resolve("ca.crt");
            Path caKey = directory.resolve("ca.key");
            if (Files.exists(caCert) && Files.exists(caKey)) {
                X509Certificate certificate = readCertificate(caCert);
                return new LocalPki(directory, certificate,
                        new KeyPair(certificate.getPublicKey(), readPrivateKey(caKey)));
            }
            KeyPair keys = newKeyPair();
            X500Name subject = new X500Name("CN=kumo-local-ca");
            X509v3CertificateBuilder builder = builder(subject, subject, keys, CA_VALIDITY);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = sign(builder, keys);
            writePem(caKey, new JcaPKCS8Generator(keys.getPrivate(), null).generate(), true);
            writePem(caCert, certificate, false);
            return new LocalPki(directory, certificate, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("could not set up the local CA in " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not create the local CA", e);
        }
    }

    public Path caCertificatePath() {
        return directory.resolve("ca.crt");
    }

    public String caCertificatePem() {
        return pem(caCertificate);
    }

    /** An SSL context serving a fresh certificate for the given host names and IP addresses. */
    public SSLContext servingContext(String... namesAndAddresses) {
        try {
            KeyPair keys = newKeyPair();
            X509v3CertificateBuilder builder = builder(new X500Name("CN=kumo-apiserver"),
                    new X500Name(caCertificate.getSubjectX500Principal().getName()), keys, SERVING_VALIDITY);
            GeneralName[] names = new GeneralName[namesAndAddresses.length];
            for (int i = 0; i < names.length; i++) {
                String value = namesAndAddresses[i];
                names[i] = new GeneralName(Character.isDigit(value.charAt(0)) || value.contains(":")
                        ? GeneralName.iPAddress : GeneralName.dNSName, value);
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
            X509Certificate certificate = sign(builder, caKeys);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("serving", keys.getPrivate(), password,
                    new java.security.cert.Certificate[]{certificate, caCertificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not create the serving certificate", e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys,
                                                    Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate readCertificate(Path path) throws IOException, GeneralSecurityException {
        try (Reader reader = Files.newBufferedReader(path); PEMParser parser = new PEMParser(reader)) {
            Object read = parser.readObject();
            if (!(read instanceof org.bouncycastle.cert.X509CertificateHolder holder)) {
                throw new IOException(path + " does not hold a certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    /** The CA's private key, as PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"); its public key is the certificate's. */
    private static PrivateKey readPrivateKey(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path); PEMParser parser = new PEMParser(reader)) {
            Object read = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (read instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (read instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            throw new IOException(path + " does not hold a private key");
        }
    }

    private static void writePem(Path path, Object object, boolean secret) throws IOException {
        if (secret) {
            OwnerOnlyFiles.write(path, pem(object)); // never readable by others, not even for a moment
        } else {
            Files.writeString(path, pem(object));
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (Writer writer = out; JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
