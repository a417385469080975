package dev.autorebuild.core.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Service names and pushed image names, against hand-written expectations. */
class ServiceNamesTest {
    @Test
    void aService_isNamedAsDockerStackNamesOne() {
        assertThat(ServiceNames.service("Shop", "web_ui")).isEqualTo("shop_web_ui");
    }

    @Test
    void aPushedImage_goesUnderTheRegistry_withoutAnyRegistryItsNameAlreadyHad() {
        assertThat(ServiceNames.pushedRepository("127.0.0.1:5000", "shop-web:latest")).isEqualTo("127.0.0.1:5000/shop-web");
        assertThat(ServiceNames.pushedRepository("registry.example.com/team/", "acme/web:dev")).isEqualTo("registry.example.com/team/acme/web");
        assertThat(ServiceNames.pushedRepository("127.0.0.1:5000", "ghcr.io/acme/web:dev")).isEqualTo("127.0.0.1:5000/acme/web");
        assertThat(ServiceNames.pushedRepository("127.0.0.1:5000", "localhost:5001/web")).isEqualTo("127.0.0.1:5000/web");
    }

    @Test
    void theTag_isTheContentDigestsFirstTwelveHexDigits() {
        assertThat(ServiceNames.shortDigest("sha256:0123456789abcdef0123")).isEqualTo("0123456789ab");
    }

    @Test
    void aTagOrDigest_isDropped_butNotARegistryPort() {
        assertThat(ServiceNames.withoutTag("127.0.0.1:5000/a/b:tag")).isEqualTo("127.0.0.1:5000/a/b");
        assertThat(ServiceNames.withoutTag("127.0.0.1:5000/a/b")).isEqualTo("127.0.0.1:5000/a/b");
        assertThat(ServiceNames.withoutTag("web@sha256:abc")).isEqualTo("web");
    }
}
