package dev.mgmt.cluster.internal;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * A client-side trust manager that remembers what the server presented and whether it was
 * trusted, so a failed handshake can say which side refused. With no delegate it trusts
 * anything; that is only for asking whether a server speaks TLS at all.
 */
public final class PeerTrust implements X509TrustManager {

    private final X509TrustManager delegate;
    private volatile X509Certificate peer;
    private volatile CertificateException rejected;

    public PeerTrust(X509TrustManager delegate) {
        this.delegate = delegate;
    }

    /** Whether the server got as far as presenting a certificate. */
    public boolean peerSpokeTls() {
        return peer != null;
    }

    public String peerSubject() {
        return peer == null ? "none" : peer.getSubjectX500Principal().getName();
    }

    public String peerIssuer() {
        return peer == null ? "none" : peer.getIssuerX500Principal().getName();
    }

    /** Why our trust refused the server's certificate, or null. */
    public CertificateException rejected() {
        return rejected;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        peer = chain.length > 0 ? chain[0] : null;
        if (delegate != null) {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                rejected = e;
                throw e;
            }
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a probe is never a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
    }
}
