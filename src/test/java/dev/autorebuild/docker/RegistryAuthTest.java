package dev.autorebuild.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials as docker login stores them, matched by registry host in the entry forms the CLI writes. */
class RegistryAuthTest {
    @TempDir
    Path dir;

    @Test
    void anEntry_isFoundByTheRegistryHost_whateverFormItsKeyHas() throws Exception {
        Path config = dir.resolve("config.json");
        // "ann:s3cret" and "bob:pw:with:colons", base64 by hand
        Files.writeString(config, """
                {"auths": {
                  "https://registry.example.com/v1/": {"auth": "YW5uOnMzY3JldA=="},
                  "127.0.0.1:5000": {"auth": "Ym9iOnB3OndpdGg6Y29sb25z"},
                  "tokens.example.com": {"identitytoken": "abc.def"}
                }, "credsStore": "desktop"}
                """);
        RegistryAuth auth = new RegistryAuth(Optional.of(config));
        assertThat(auth.forImage("registry.example.com/team/web")).hasValueSatisfying(a -> {
            assertThat(a.getUsername()).isEqualTo("ann");
            assertThat(a.getPassword()).isEqualTo("s3cret");
            assertThat(a.getRegistryAddress()).isEqualTo("registry.example.com");
        });
        assertThat(auth.forImage("127.0.0.1:5000/shop-web")).hasValueSatisfying(a -> assertThat(a.getPassword()).isEqualTo("pw:with:colons"));
        assertThat(auth.forImage("tokens.example.com/web")).hasValueSatisfying(a -> assertThat(a.getIdentitytoken()).isEqualTo("abc.def"));
        assertThat(auth.forImage("other.example.com/web")).isEmpty();
    }

    @Test
    void noFile_orAnUnreadableOne_meansNoCredentials() throws Exception {
        assertThat(new RegistryAuth(Optional.of(dir.resolve("missing.json"))).forImage("127.0.0.1:5000/web")).isEmpty();
        Files.writeString(dir.resolve("broken.json"), "{not json");
        assertThat(new RegistryAuth(Optional.of(dir.resolve("broken.json"))).forImage("127.0.0.1:5000/web")).isEmpty();
    }
}
