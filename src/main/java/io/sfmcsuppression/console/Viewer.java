package io.sfmcsuppression.console;

import java.util.List;
import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is signed in: the API key's name and roles. Pages show a section only when {@link #can}
 * says so, so a later action button is one {@code {#if viewer.can('operate')}} away.
 */
public record Viewer(String name, List<String> roles) {

    static Viewer of(SecurityIdentity identity) {
        return new Viewer(identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList());
    }

    /** True when the key carries the role. */
    public boolean can(String role) {
        return Set.copyOf(roles).contains(role);
    }
}
