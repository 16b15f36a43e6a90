package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.X509TrustManager;

/**
 * Who a host is in a secured cluster: the names in its TLS certificate, its private key (to
 * seal what it writes) and the trust it checks others' certificates with.
 *
 * <p>A certificate's <em>names</em> are its subject's CN and its DNS subject alternative
 * names, except {@code localhost} (every certificate of {@code make-certs.sh} carries it for
 * loopback TLS; it names no host). A certificate is an <em>admin</em> one when its subject
 * has the organisational unit {@value #ADMIN_ROLE}, or (for a given reader) when one of its
 * names is in that reader's allow-list.
 */
public final class Identity {

    /** The subject OU that makes a certificate an admin's: {@code OU=mgmt-admin}. */
    public static final String ADMIN_ROLE = "mgmt-admin";

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final X509TrustManager trust;
    private final Set<String> names;

    private Identity(PrivateKey key, X509Certificate[] chain, X509TrustManager trust) {
        this.key = key;
        this.chain = chain;
        this.trust = trust;
        this.names = names(chain[0]);
    }

    /** Loads the keystore's key entry and the truststore; errors name the file. */
    static Identity load(ClusterTls tls) {
        X509TrustManager trust = KeyMaterial.load(tls).trustManager();
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(in, tls.keyStorePassword().toCharArray());
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Certificate[] certs = ks.getCertificateChain(alias);
                if (certs == null || certs.length == 0 || !(certs[0] instanceof X509Certificate)) {
                    continue;
                }
                X509Certificate[] chain = new X509Certificate[certs.length];
                for (int i = 0; i < certs.length; i++) {
                    chain[i] = (X509Certificate) certs[i];
                }
                PrivateKey key = (PrivateKey) ks.getKey(alias, tls.keyStorePassword().toCharArray());
                return new Identity(key, chain, trust);
            }
            throw new ClusterException("TLS keystore " + tls.keyStore() + " holds no private key with an X.509 "
                    + "certificate");
        } catch (IOException | GeneralSecurityException e) {
            throw new ClusterException("cannot read TLS keystore " + tls.keyStore() + ": " + e.getMessage(), e);
        }
    }

    /** The name a host with this keystore has unless told otherwise: its certificate's CN (else first DNS name). */
    public static String defaultName(ClusterTls tls) {
        return load(tls).name();
    }

    /** The certificate's main name: the CN, or the first DNS name when there is no CN. */
    String name() {
        String cn = commonName(chain[0]);
        if (cn != null) {
            return cn;
        }
        if (names.isEmpty()) {
            throw new ClusterException("this host's TLS certificate (" + chain[0].getSubjectX500Principal().getName()
                    + ") names no host: it needs a CN or a DNS subject alternative name");
        }
        return names.iterator().next();
    }

    /** Every name this host's certificate carries (see the class comment). */
    Set<String> names() {
        return names;
    }

    PrivateKey key() {
        return key;
    }

    /** The certificate chain from the keystore, leaf first. */
    X509Certificate[] chain() {
        return chain.clone();
    }

    X509TrustManager trust() {
        return trust;
    }

    /** Whether this host's own certificate is an admin's, for readers with {@code allowList}. */
    boolean isAdmin(Set<String> allowList) {
        return isAdmin(chain[0], names, allowList);
    }

    /**
     * Refuses a {@code --hostname} that is not one of this certificate's names.
     *
     * @throws ClusterException naming both
     */
    void checkHostname(String hostname) {
        if (!names.contains(hostname)) {
            throw new ClusterException("--hostname " + Quoted.of(hostname) + " is not a name in this host's TLS "
                    + "certificate (" + chain[0].getSubjectX500Principal().getName() + ", names " + names
                    + "): in a secured cluster a host is who its certificate says; use --hostname " + name()
                    + " or a certificate issued for " + Quoted.of(hostname));
        }
    }

    static boolean isAdmin(X509Certificate leaf, Set<String> names, Set<String> allowList) {
        if (hasAdminRole(leaf)) {
            return true;
        }
        for (String n : names) {
            if (allowList.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the subject has {@code OU=mgmt-admin}. */
    static boolean hasAdminRole(X509Certificate cert) {
        for (Rdn rdn : rdns(cert)) {
            if (rdn.getType().equalsIgnoreCase("OU") && ADMIN_ROLE.equals(String.valueOf(rdn.getValue()))) {
                return true;
            }
        }
        return false;
    }

    /** CN and DNS SANs, without {@code localhost} and wildcards, in that order. */
    static Set<String> names(X509Certificate cert) {
        Set<String> out = new LinkedHashSet<>();
        String cn = commonName(cert);
        if (cn != null) {
            out.add(cn);
        }
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SANs: the CN alone
        }
        out.removeIf(n -> n.isBlank() || n.equalsIgnoreCase("localhost") || n.contains("*"));
        return Collections.unmodifiableSet(out);
    }

    private static String commonName(X509Certificate cert) {
        String cn = null;
        for (Rdn rdn : rdns(cert)) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                cn = String.valueOf(rdn.getValue());
            }
        }
        return cn == null || cn.isBlank() ? null : cn;
    }

    private static List<Rdn> rdns(X509Certificate cert) {
        try {
            return new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }
}
