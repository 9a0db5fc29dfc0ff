package io.sfmcsuppression.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The key presented in the X-API-Key header, on its way to {@link ApiKeyIdentityProvider}. */
final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }
}
