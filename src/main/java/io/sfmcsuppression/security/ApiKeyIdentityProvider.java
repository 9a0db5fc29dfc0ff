package io.sfmcsuppression.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns a presented key into an identity named after the key, with the key's roles. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeyRegistry registry;

    ApiKeyIdentityProvider(ApiKeyRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        return identityOf(registry, request.key());
    }

    /** The identity of a presented key, or a failure when no configured key matches. */
    static Uni<SecurityIdentity> identityOf(ApiKeyRegistry registry, String key) {
        return identityOf(registry.find(key));
    }

    /** The identity of a known key: named after it, with its roles. */
    static Uni<SecurityIdentity> identityOf(java.util.Optional<ApiKeyRegistry.Entry> key) {
        return key.<Uni<SecurityIdentity>>map(entry -> Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(entry.name()))
                        .addRoles(entry.roles())
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("Unknown API key")));
    }
}
