package io.sfmcsuppression.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * The console's sign-in form (Quarkus form authentication, {@code j_security_check}): the
 * "password" is an API key and yields the same identity and roles as the {@code X-API-Key}
 * header. The user name is not checked: the key alone names its holder, as it does on the API,
 * so the form has one field and the key's name is never a second secret to remember.
 */
@ApplicationScoped
public class ConsoleSignInIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final ApiKeyRegistry registry;

    ConsoleSignInIdentityProvider(ApiKeyRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        return ApiKeyIdentityProvider.identityOf(registry, new String(request.getPassword().getPassword()).trim());
    }
}
