package dev.autorebuild.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The secret every HTTP request must carry: 32 random bytes, new at every daemon start, written only to
 * the owner-only {@code .dab/dashboard} file. Pure: {@link #admits} decides from what a request carries.
 */
public final class AccessToken {
    private final String value;

    private AccessToken(String value) {
        this.value = value;
    }

    public static AccessToken random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new AccessToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public static AccessToken of(String value) {
        return new AccessToken(value);
    }

    public String value() {
        return value;
    }

    /**
     * The name of the cookie that carries it for the page. Cookies are per host, not per port, so each
     * daemon on 127.0.0.1 needs its own name, or opening a second workspace's dashboard would log the
     * first one out.
     */
    public static String cookieName(int port) {
        return "dab_token_" + port;
    }

    /** Whether any of the three ways a request may carry the token holds it (compared in constant time). */
    public boolean admits(Optional<String> authorization, Optional<String> queryToken, Optional<String> cookie) {
        Optional<String> bearer = authorization.filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7)).map(a -> a.substring(7).strip());
        return matches(bearer) | matches(queryToken) | matches(cookie);
    }

    private boolean matches(Optional<String> candidate) {
        return candidate.isPresent() && MessageDigest.isEqual(candidate.get().getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }
}
