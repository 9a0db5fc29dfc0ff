package io.sfmcsuppression.optout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The opaque tokens of one-click unsubscribe links (RFC 8058). A token carries the subscriber key,
 * scope, list, business unit, expiry and a random id, sealed with AES-256-GCM: its 128-bit tag is
 * the signature (one altered byte and it does not open), and nothing in it is readable. The key is
 * derived from {@code consent.one-click.secret} with HMAC-SHA256, so the configured secret itself
 * never keys the cipher. JDK crypto only.
 */
@ApplicationScoped
class OneClickTokens {

    /** What a token says. */
    record Claims(String subscriberKey, String scope, String publicationListId, String businessUnitId, Instant expiresAt,
                  String tokenId) {
    }

    /** Why a token was refused; the name is the metric's {@code reason} tag. */
    enum Refusal { MALFORMED, FORGED, EXPIRED }

    /** A token that does not open, or has expired. */
    static final class RefusedException extends RuntimeException {
        final Refusal refusal;

        RefusedException(Refusal refusal) {
            super("one-click token " + refusal.name().toLowerCase(java.util.Locale.ROOT));
            this.refusal = refusal;
        }
    }

    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MIN_SECRET_LENGTH = 32;

    private final Optional<SecretKeySpec> key;
    private final ObjectMapper json;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    OneClickTokens(OptOutConfig config, ObjectMapper json, Clock clock) {
        this(config.oneClick().secret(), json, clock);
    }

    OneClickTokens(Optional<String> secret, ObjectMapper json, Clock clock) {
        this.key = secret.filter(s -> !s.isBlank()).map(OneClickTokens::derive);
        this.json = json;
        this.clock = clock;
    }

    boolean configured() {
        return key.isPresent();
    }

    String mint(Claims claims) {
        SecretKeySpec k = key.orElseThrow(() -> new IllegalStateException("consent.one-click.secret is not set"));
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(new byte[] {VERSION});
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(claims));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(VERSION).put(iv).put(sealed).array());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Could not seal a one-click token", e);
        }
    }

    /** The claims of a token that opens and has not expired. */
    Claims open(String token) {
        SecretKeySpec k = key.orElseThrow(() -> new RefusedException(Refusal.FORGED));
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token == null ? "" : token);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(Refusal.MALFORMED);
        }
        if (raw.length < 1 + IV_BYTES + TAG_BITS / 8 || raw[0] != VERSION) {
            throw new RefusedException(Refusal.MALFORMED);
        }
        Claims claims;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, raw, 1, IV_BYTES));
            cipher.updateAAD(new byte[] {VERSION});
            byte[] plain = cipher.doFinal(raw, 1 + IV_BYTES, raw.length - 1 - IV_BYTES);
            claims = json.readValue(plain, Claims.class);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new RefusedException(Refusal.FORGED);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new RefusedException(Refusal.MALFORMED);
        }
        if (claims.expiresAt() == null || !clock.instant().isBefore(claims.expiresAt())) {
            throw new RefusedException(Refusal.EXPIRED);
        }
        return claims;
    }

    private static SecretKeySpec derive(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("consent.one-click.secret (CONSENT_ONE_CLICK_SECRET) must hold at least "
                    + MIN_SECRET_LENGTH + " characters");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal("sfmc-suppression-service one-click token key v1".getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
