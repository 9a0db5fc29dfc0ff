package io.sfmcsuppression.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * CSRF protection of the console's forms, a double-submit token: a random token in an HttpOnly,
 * SameSite=Strict cookie scoped to {@code /console}, and the same token in a hidden field of every
 * form ({@code {inject:csrf.token}} in a template). A POST whose field does not match its cookie is
 * refused with 403 before the resource method runs.
 * <p>
 * Not quarkus-rest-csrf: that extension is not in Maven Central at this platform version (3.34.1),
 * and its filter checks every form POST of the application with no way to leave a path out
 * (quarkusio/quarkus#53715), which would refuse the RFC 8058 one-click unsubscribe posts that mail
 * providers send without any cookie. {@link ConsoleCsrfFilter} checks it, on the console's
 * resources only ({@link CsrfChecked}).
 */
@Named("csrf")
@RequestScoped
public class ConsoleCsrf {

    static final String COOKIE = "console-csrf";
    static final String FIELD = "csrf-token";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private String token;
    private boolean issued;

    /** The form field's name. */
    public String getName() {
        return FIELD;
    }

    /** This request's token, issued now when the browser had none. */
    public String getToken() {
        if (token == null) {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            issued = true;
        }
        return token;
    }

    /** The token the browser's cookie holds, when it is one this console could have issued. */
    void presented(String cookieValue) {
        if (cookieValue != null && TOKEN.matcher(cookieValue).matches()) {
            token = cookieValue;
        }
    }

    /** True when the form carried this request's token, compared in constant time. */
    boolean matches(String field) {
        return token != null && !issued && field != null
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.UTF_8));
    }

    /** The Set-Cookie value when a new token was issued in this request. */
    Optional<String> cookieToSet() {
        return issued ? Optional.of(COOKIE + "=" + token + "; Path=/console; HttpOnly; SameSite=Strict") : Optional.empty();
    }
}
