package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import dev.ssexporter.exporter.web.TlsConfig;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@link SSLContext} and the JDK server's {@link HttpsConfigurator} for a {@link TlsConfig}:
 * the PEM certificate chain and key ({@link PemFiles}), the client CA when client certificates
 * are asked for, and the enabled protocol versions.
 */
public final class TlsContexts {
    /** Only for the in-memory key store that hands the key to the JDK's key manager. */
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private TlsContexts() {}

    /** Which file of the TLS config a problem is in. */
    public enum Which { CERT, KEY, CLIENT_CA }

    /** A certificate or key file that cannot be used, and why. */
    public static final class BadFile extends Exception {
        private final Which which;

        BadFile(Which which, String message) {
            super(message);
            this.which = which;
        }

        public Which which() {
            return which;
        }
    }

    /** Reads every file and checks that the key belongs to the certificate. */
    public static void check(TlsConfig config) throws BadFile {
        context(config);
    }

    /** The server's TLS setup: protocols from {@code min_version}, client certificates as configured. */
    public static HttpsConfigurator configurator(TlsConfig config) throws BadFile {
        SSLContext context = context(config);
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setProtocols(config.minVersion().protocols().toArray(String[]::new));
                switch (config.clientAuth()) {
                    case NO_CLIENT_CERT -> p.setNeedClientAuth(false);
                    case VERIFY_CLIENT_CERT_IF_GIVEN -> p.setWantClientAuth(true);
                    case REQUIRE_AND_VERIFY_CLIENT_CERT -> p.setNeedClientAuth(true);
                }
                params.setSSLParameters(p);
            }
        };
    }

    static SSLContext context(TlsConfig config) throws BadFile {
        List<X509Certificate> chain = certificates(config.certFile(), Which.CERT);
        PrivateKey key;
        try {
            key = PemFiles.privateKey(config.keyFile());
        } catch (IOException | GeneralSecurityException e) {
            throw new BadFile(Which.KEY, describe(e, config.keyFile()));
        }
        checkPair(key, chain.getFirst(), config);
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, IN_MEMORY);
            TrustManagerFactory tmf = null;
            if (config.clientCaFile().isPresent()) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(config.clientCaFile().get(), Which.CLIENT_CA)) {
                    trusted.setCertificateEntry("client-ca-" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new BadFile(Which.KEY, "cannot use the key and certificate for TLS: " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(Path file, Which which) throws BadFile {
        try {
            return PemFiles.certificates(file);
        } catch (IOException | GeneralSecurityException e) {
            throw new BadFile(which, describe(e, file));
        }
    }

    /** Signs a random message with the key and verifies it with the certificate's public key. */
    private static void checkPair(PrivateKey key, X509Certificate cert, TlsConfig config) throws BadFile {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null; // e.g. RSASSA-PSS: its parameters vary; the handshake will tell
        };
        if (algorithm == null) {
            return;
        }
        boolean matches;
        try {
            byte[] message = new byte[32];
            new SecureRandom().nextBytes(message);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(message);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new BadFile(Which.KEY, "the private key in " + config.keyFile() + " does not belong to the certificate in "
                    + config.certFile() + " (" + cert.getSubjectX500Principal().getName() + ")");
        }
    }

    private static String describe(Exception e, Path file) {
        return switch (e) {
            case NoSuchFileException n -> "no such file: " + file;
            case AccessDeniedException a -> "permission denied: " + file;
            case IOException io -> "cannot read " + file + ": " + io.getMessage();
            default -> e.getMessage();
        };
    }
}
