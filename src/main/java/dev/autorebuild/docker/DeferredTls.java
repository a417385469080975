package dev.autorebuild.docker;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A TLS context that is made the first time a connection uses it, and never when none does.
 *
 * <p>Why: docker-java's Apache transport sets up TLS for every client it makes, even for an engine on a
 * unix socket, where no connection can use TLS. Given no TLS settings, it takes the JDK's default
 * context, which reads the JDK's trust store (about 140 CA certificates). Measured in a JVM of its own:
 * 713 classes loaded, 2 MB of heap kept for the daemon's whole life, 160-200 ms at every start. Handed
 * this context instead, the transport holds it and never touches it.
 */
final class DeferredTls extends SSLContext {

    private DeferredTls(Supplier<SSLContext> make) {
        super(new Spi(make), null, "TLS");
    }

    /** A context that becomes the JDK's default one ({@link SSLContext#getDefault}) when first used. */
    static SSLContext ofDefault() {
        return of(() -> {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK has no default TLS context: " + e.getMessage(), e);
            }
        });
    }

    /** A context that becomes {@code make}'s, made once, when first used. */
    static SSLContext of(Supplier<SSLContext> make) {
        return new DeferredTls(make);
    }

    private static final class Spi extends SSLContextSpi {
        private final Supplier<SSLContext> make;
        private SSLContext made;

        Spi(Supplier<SSLContext> make) {
            this.make = make;
        }

        private synchronized SSLContext real() {
            if (made == null) {
                made = make.get();
            }
            return made;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) throws KeyManagementException {
            throw new KeyManagementException("a deferred TLS context takes its settings from the context it becomes");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return real().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return real().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return real().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return real().getSupportedSSLParameters();
        }
    }
}
