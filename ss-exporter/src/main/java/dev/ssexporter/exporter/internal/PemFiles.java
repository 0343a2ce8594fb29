package dev.ssexporter.exporter.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys from PEM files, as {@code openssl} and cert-manager write them.
 *
 * <p>Private keys: PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519, Ed448), PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC with a named curve ({@code BEGIN EC PRIVATE KEY}).
 * Encrypted keys are refused with a message saying how to decrypt them. The PKCS#1 and SEC1 forms
 * are wrapped into PKCS#8 (the key bytes unchanged, with the algorithm identifier in front), which
 * the JDK reads.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    /** DER of the OID 1.2.840.113549.1.1.1 (rsaEncryption) and a NULL parameter. */
    private static final byte[] RSA_ALGORITHM = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** DER of the OID 1.2.840.10045.2.1 (id-ecPublicKey). */
    private static final byte[] EC_ALGORITHM = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {}

    /** The certificates in {@code file}, the server's first and then its chain. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new CertificateException(file + ": certificate " + (certs.size() + 1) + " cannot be read: "
                        + e.getMessage(), e);
            }
        }
        if (certs.isEmpty()) {
            throw new CertificateException(file + " holds no certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** The first private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue; // e.g. the EC PARAMETERS block openssl ecparam writes first
            }
            if (type.equals("ENCRYPTED PRIVATE KEY") || m.group(2).contains("Proc-Type:")) {
                throw new KeyException(file + " holds an encrypted private key; decrypt it first, e.g. "
                        + "openssl pkey -in " + file + " -out key.pem");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).strip());
            } catch (IllegalArgumentException e) {
                throw new KeyException(file + ": the " + type + " block is not valid base64");
            }
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der, file);
                case "RSA PRIVATE KEY" -> pkcs8(wrap(RSA_ALGORITHM, der), file);
                case "EC PRIVATE KEY" -> pkcs8(wrap(concat(EC_ALGORITHM, sec1Curve(der, file)), der), file);
                default -> throw new KeyException(file + ": unsupported key type \"" + type + "\"; expected PRIVATE KEY "
                        + "(PKCS#8), RSA PRIVATE KEY (PKCS#1) or EC PRIVATE KEY (SEC1)");
            };
        }
        throw new KeyException(file + " holds no PEM private key (expected -----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws KeyException {
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException notThisOne) {
                // try the next algorithm
            }
        }
        throw new KeyException(file + ": the private key is not an RSA, EC, Ed25519 or Ed448 key the JDK can read");
    }

    /** PKCS#8 PrivateKeyInfo: version 0, the algorithm identifier, the key as an octet string. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, tlv(0x30, algorithm), tlv(0x04, key)));
    }

    /** The named curve's OID (as a whole DER element) from a SEC1 ECPrivateKey's [0] parameters. */
    private static byte[] sec1Curve(byte[] der, Path file) throws KeyException {
        try {
            Der outer = new Der(der, 0);
            if (outer.tag != 0x30) {
                throw new KeyException(file + ": the EC PRIVATE KEY is not a DER sequence");
            }
            int at = outer.valueStart;
            while (at < outer.end()) {
                Der child = new Der(der, at);
                if (child.tag == 0xa0) {
                    Der oid = new Der(der, child.valueStart);
                    if (oid.tag == 0x06) {
                        return Arrays.copyOfRange(der, child.valueStart, oid.end());
                    }
                }
                at = child.end();
            }
        } catch (IndexOutOfBoundsException e) {
            throw new KeyException(file + ": the EC PRIVATE KEY is truncated");
        }
        throw new KeyException(file + ": the EC PRIVATE KEY names no curve; write it with its curve, "
                + "e.g. openssl pkey -in KEY -out key.pem (PKCS#8)");
    }

    /** One DER element at {@code start}: its tag, where its value starts and how long it is. */
    private static final class Der {
        final int tag;
        final int valueStart;
        final int length;

        Der(byte[] b, int start) {
            tag = b[start] & 0xff;
            int first = b[start + 1] & 0xff;
            if (first < 0x80) {
                length = first;
                valueStart = start + 2;
            } else {
                int n = first & 0x7f;
                if (n < 1 || n > 3) {
                    throw new IndexOutOfBoundsException("DER length of " + n + " bytes");
                }
                int len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[start + 2 + i] & 0xff);
                }
                length = len;
                valueStart = start + 2 + n;
            }
            if (valueStart + length > b.length) {
                throw new IndexOutOfBoundsException("DER element past the end");
            }
        }

        int end() {
            return valueStart + length;
        }
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
