package io.sfmcsuppression.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * A console session on its later requests: the encrypted session cookie names the key (never
 * holds it), and the key's roles are read from the configuration again on every request, so a
 * key removed or narrowed in the configuration takes its sessions with it at the next click.
 */
@ApplicationScoped
public class ConsoleSessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    private final ApiKeyRegistry registry;

    ConsoleSessionIdentityProvider(ApiKeyRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return ApiKeyIdentityProvider.identityOf(registry.named(request.getPrincipal()));
    }
}
