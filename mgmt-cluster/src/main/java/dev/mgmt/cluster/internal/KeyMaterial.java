package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The keystore and truststore of a {@link ClusterTls}, loaded the way Atomix's messaging loads
 * them (default keystore type, the store password also unlocking the key), so that what would
 * fail deep inside Atomix fails here first with a message naming the file.
 */
public final class KeyMaterial {

    private final KeyManager[] keyManagers;
    private final X509TrustManager trustManager;

    private KeyMaterial(KeyManager[] keyManagers, X509TrustManager trustManager) {
        this.keyManagers = keyManagers;
        this.trustManager = trustManager;
    }

    /** @throws ClusterException naming the file when a store cannot be read or holds the wrong things */
    public static KeyMaterial load(ClusterTls tls) {
        KeyStore ks = read("TLS keystore", tls.keyStore(), tls.keyStorePassword());
        KeyStore ts = read("TLS truststore", tls.trustStore(), tls.trustStorePassword());
        try {
            if (!hasEntry(ks, true)) {
                throw new ClusterException("TLS keystore " + tls.keyStore() + " holds no private key");
            }
            if (!hasEntry(ts, false)) {
                throw new ClusterException("TLS truststore " + tls.trustStore() + " holds no CA certificate");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            try {
                kmf.init(ks, tls.keyStorePassword().toCharArray());
            } catch (UnrecoverableKeyException e) {
                throw new ClusterException("TLS keystore " + tls.keyStore()
                        + ": the key's password differs from the keystore's; they must be the same");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            X509TrustManager trust = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    trust = x;
                }
            }
            return new KeyMaterial(kmf.getKeyManagers(), trust);
        } catch (GeneralSecurityException e) {
            throw new ClusterException("cannot use TLS keystore " + tls.keyStore() + " or truststore "
                    + tls.trustStore() + ": " + e.getMessage(), e);
        }
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** A client context with this host's key and the given trust (which may wrap {@link #trustManager()}). */
    public SSLContext clientContext(X509TrustManager trust) {
        return context(keyManagers, trust);
    }

    public static SSLContext context(KeyManager[] keys, X509TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, new TrustManager[] {trust}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new ClusterException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore read(String what, Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(in, password.toCharArray());
            return ks;
        } catch (NoSuchFileException e) {
            throw new ClusterException("cannot open " + what + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ClusterException("cannot open " + what + " " + file + ": permission denied");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ClusterException("cannot open " + what + " " + file + ": wrong password");
            }
            throw new ClusterException("cannot open " + what + " " + file + ": " + e.getMessage()
                    + " (is it a PKCS12 or JKS keystore?)", e);
        } catch (GeneralSecurityException e) {
            throw new ClusterException("cannot open " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasEntry(KeyStore ks, boolean privateKey) throws GeneralSecurityException {
        for (String alias : Collections.list(ks.aliases())) {
            if (privateKey ? ks.isKeyEntry(alias) : ks.isCertificateEntry(alias)) {
                return true;
            }
        }
        return false;
    }
}
