package dev.autorebuild.web;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AccessTokenTest {
    private final AccessToken token = AccessToken.of("s3cret");
    private static final Optional<String> NONE = Optional.empty();

    @Test
    void aBearerHeader_aQueryParameter_orTheCookie_admits() {
        assertThat(token.admits(Optional.of("Bearer s3cret"), NONE, NONE)).isTrue();
        assertThat(token.admits(Optional.of("bearer s3cret"), NONE, NONE)).as("the scheme is case-insensitive").isTrue();
        assertThat(token.admits(NONE, Optional.of("s3cret"), NONE)).isTrue();
        assertThat(token.admits(NONE, NONE, Optional.of("s3cret"))).isTrue();
    }

    @Test
    void nothing_aWrongToken_orAnotherScheme_isRefused() {
        assertThat(token.admits(NONE, NONE, NONE)).isFalse();
        assertThat(token.admits(Optional.of("Bearer s3cre"), NONE, NONE)).isFalse();
        assertThat(token.admits(Optional.of("Bearer s3cretX"), NONE, NONE)).isFalse();
        assertThat(token.admits(Optional.of("Basic s3cret"), NONE, NONE)).isFalse();
        assertThat(token.admits(Optional.of("s3cret"), NONE, NONE)).isFalse();
        assertThat(token.admits(NONE, Optional.of(""), Optional.of("wrong"))).isFalse();
    }

    @Test
    void randomTokens_are32BytesUrlSafe_andNeverRepeat() {
        AccessToken a = AccessToken.random();
        AccessToken b = AccessToken.random();
        assertThat(a.value()).matches("[A-Za-z0-9_-]{43}");
        assertThat(a.value()).isNotEqualTo(b.value());
    }

    @Test
    void eachPortHasItsOwnCookie() {
        assertThat(AccessToken.cookieName(41234)).isEqualTo("dab_token_41234").isNotEqualTo(AccessToken.cookieName(41235));
    }
}
