package dev.autorebuild.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DockerNameTest {
    @Test
    void sanitize_lowercasesAndReplacesOtherCharacters() {
        assertThat(DockerName.sanitize("My Frontend")).isEqualTo("my-frontend");
        assertThat(DockerName.sanitize("api_v2.x")).isEqualTo("api_v2.x");
        assertThat(DockerName.sanitize("café")).isEqualTo("caf");
    }

    @Test
    void sanitize_neverProducesSeparatorsDockerRefuses() {
        assertThat(DockerName.sanitize(".hidden")).isEqualTo("hidden");
        assertThat(DockerName.sanitize("a..b")).isEqualTo("a-b");
        assertThat(DockerName.sanitize("a_-b")).isEqualTo("a-b");
        assertThat(DockerName.sanitize("a__b")).isEqualTo("a__b");
        assertThat(DockerName.sanitize("a---b")).isEqualTo("a---b");
    }

    @Test
    void sanitize_nothingUsableLeft_givesStableHashName() {
        String name = DockerName.sanitize("日本");
        assertThat(name).matches("x[0-9a-f]{8}").isEqualTo(DockerName.sanitize("日本"));
        assertThat(name).isNotEqualTo(DockerName.sanitize("中国"));
    }

    @Test
    void sanitize_longNames_areCappedAndStayDistinct() {
        String a = DockerName.sanitize("a".repeat(300));
        String b = DockerName.sanitize("a".repeat(299) + "b");
        assertThat(a).hasSizeLessThanOrEqualTo(DockerName.MAX_LENGTH);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void component_imageIsWorkspaceDashComponentLatest() {
        Component c = Component.of("Docker Project", "Web App");
        assertThat(c.image()).isEqualTo("docker-project-web-app:latest");
        assertThat(c.baseName()).isEqualTo("docker-project-web-app");
    }
}
