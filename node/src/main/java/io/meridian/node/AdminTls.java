package io.meridian.node;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Collections;

/**
 * TLS for the admin API with nothing but the JDK: the server's key and certificate from a PKCS12
 * keystore, the client's trust from a certificate file (the server's own, or the CA that signed it).
 */
final class AdminTls {

    /** The keystore password itself; wins over {@code admin.tls.keyStorePasswordFile}. */
    static final String PASSWORD_VARIABLE = "MERIDIAN_ADMIN_TLS_KEY_STORE_PASSWORD";

    private AdminTls() {
    }

    /**
     * A server context from a PKCS12 keystore holding one private key and its certificate chain
     * (the key's password must be the store's, as keytool and openssl write PKCS12 by default).
     */
    static SSLContext server(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        boolean hasKey = false;
        for (String alias : Collections.list(ks.aliases())) {
            hasKey |= ks.isKeyEntry(alias);
        }
        if (!hasKey) {
            throw new GeneralSecurityException("no private key entry in " + keyStore);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /**
     * A client context trusting exactly the certificates in {@code certFile} (PEM or DER, one or
     * more): the server's self-signed certificate or the CA that issued it. The host name is still
     * checked against the certificate by the HTTP client.
     */
    static SSLContext trusting(Path certFile) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(certFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certFile);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : certs) {
            trust.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
