package dev.autorebuild.docker;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.KeyManagementException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The TLS context docker-java's transport holds for a socket-file engine: made only when a connection uses it. */
class DeferredTlsTest {

    private static SSLContext realContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void nothingIsMadeUntilAConnectionUsesIt() {
        AtomicInteger made = new AtomicInteger();
        DeferredTls.of(() -> {
            made.incrementAndGet();
            return realContext();
        });
        assertEquals(0, made.get(), "handing the context to the transport must not make the real one");
    }

    @Test
    void onceUsedItIsTheRealContextMadeOnce() {
        AtomicInteger made = new AtomicInteger();
        SSLContext real = realContext();
        SSLContext deferred = DeferredTls.of(() -> {
            made.incrementAndGet();
            return real;
        });
        assertEquals(java.util.List.of(real.getSocketFactory().getDefaultCipherSuites()),
                java.util.List.of(deferred.getSocketFactory().getDefaultCipherSuites()));
        assertSame(real.getClientSessionContext(), deferred.getClientSessionContext());
        SSLEngine engine = deferred.createSSLEngine("engine.example", 2376);
        assertEquals("engine.example", engine.getPeerHost());
        assertEquals(2376, engine.getPeerPort());
        assertEquals(java.util.List.of(real.getDefaultSSLParameters().getProtocols()), java.util.List.of(deferred.getDefaultSSLParameters().getProtocols()));
        assertEquals(1, made.get(), "the real context is made once, whatever asks for it");
    }

    @Test
    void itTakesNoSettingsOfItsOwn() {
        SSLContext deferred = DeferredTls.of(DeferredTlsTest::realContext);
        assertThrows(KeyManagementException.class, () -> deferred.init(null, null, null));
    }

    @Test
    void onlyASocketFileEngineWithoutTlsSettingsGetsIt() throws Exception {
        // a unix socket never carries TLS: the transport gets a deferred context, which is not made here
        assertInstanceOf(DeferredTls.class, DockerClients.tlsFor(URI.create("unix:///var/run/docker.sock"), null).getSSLContext());
        // a TCP address without TLS gets none: given one, docker-java would speak HTTPS to a plain-HTTP engine
        assertNull(DockerClients.tlsFor(URI.create("tcp://127.0.0.1:2375"), null));
        // TLS settings the user gave are passed on as they are
        com.github.dockerjava.core.SSLConfig given = () -> realContext();
        assertSame(given, DockerClients.tlsFor(URI.create("tcp://127.0.0.1:2376"), given));
    }
}
