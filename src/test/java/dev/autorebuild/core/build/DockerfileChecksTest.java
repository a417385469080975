package dev.autorebuild.core.build;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DockerfileChecksTest {

    @Test
    void secretAndSshMounts_areFoundWithTheirPlace_continuationLinesIncluded() {
        String dockerfile = """
                FROM busybox:stable
                # RUN --mount=type=secret,id=x is only a comment here
                RUN --mount=type=cache,target=/cache ls
                RUN --mount=type=secret,id=token cat /run/secrets/token
                RUN echo a && \\
                    --mount=type=ssh true
                run --mount=id=key,type=SECRET cat /run/secrets/key
                COPY --mount=type=secret . /
                """;
        assertThat(DockerfileChecks.sessionMounts(dockerfile)).containsExactly(
                new DockerfileChecks.SessionMount("secret", "token", false, new DockerfileChecks.Place(4, 5)),
                new DockerfileChecks.SessionMount("ssh", "default", false, new DockerfileChecks.Place(6, 5)),
                new DockerfileChecks.SessionMount("secret", "key", false, new DockerfileChecks.Place(7, 5)));
    }

    @Test
    void aSecretsId_isItsIdOption_elseTheNameOfItsTarget_andRequiredIsRead() {
        assertThat(DockerfileChecks.sessionMounts("FROM x\nRUN --mount=type=secret,target=/root/.npmrc,required=true npm ci\n"))
                .containsExactly(new DockerfileChecks.SessionMount("secret", ".npmrc", true, new DockerfileChecks.Place(2, 5)));
        assertThat(DockerfileChecks.sessionMounts("FROM x\nRUN --mount=type=secret,id=a,required npm ci\n"))
                .containsExactly(new DockerfileChecks.SessionMount("secret", "a", true, new DockerfileChecks.Place(2, 5)));
    }

    @Test
    void aCacheMount_needsNoSession() {
        assertThat(DockerfileChecks.sessionMounts("FROM x\nRUN --mount=type=cache,target=/root/.m2 mvn package\n")).isEmpty();
    }

    @Test
    void theSyntaxDirective_isFoundOnlyAmongTheLeadingDirectives() {
        assertThat(DockerfileChecks.syntax("# syntax=docker/dockerfile:1.4\nFROM x\n"))
                .contains(new DockerfileChecks.SyntaxDirective("docker/dockerfile:1.4", 1));
        assertThat(DockerfileChecks.syntax("# escape=`\n#syntax = example/frontend:2\nFROM x\n"))
                .contains(new DockerfileChecks.SyntaxDirective("example/frontend:2", 2));
        assertThat(DockerfileChecks.syntax("FROM x\n# syntax=docker/dockerfile:1.4\n")).isEmpty();
        assertThat(DockerfileChecks.syntax("# a comment\n# syntax=docker/dockerfile:1.4\nFROM x\n")).isEmpty();
    }
}
