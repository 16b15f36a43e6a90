package dev.mgmt.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The signature of a {@link Sealing} envelope, and the certificate chain it carries. */
final class SealSignature {

    private SealSignature() {
    }

    /** The leaf and intermediate certificates (not a self-signed root: readers have it), base64 DER. */
    static String encodeChain(X509Certificate[] chain) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < chain.length; i++) {
            X509Certificate c = chain[i];
            if (i > 0 && c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                continue;
            }
            try {
                out.add(Base64.getEncoder().encodeToString(c.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(",", out);
    }

    static byte[] sign(PrivateKey key, String k, long ts, String value) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
        s.initSign(key);
        s.update(signed(k, ts, value));
        return s.sign();
    }

    static boolean verify(PublicKey key, String k, long ts, String value, byte[] sig) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
        s.initVerify(key);
        s.update(signed(k, ts, value));
        return s.verify(sig);
    }

    private static String algorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported key type " + keyAlgorithm);
        };
    }

    /** What the signature covers: a format tag, the key, the seal time and the value. */
    private static byte[] signed(String key, long ts, String value) {
        return ("mgmt-seal-2\0" + key + "\0" + ts + "\0" + value).getBytes(StandardCharsets.UTF_8);
    }
}
