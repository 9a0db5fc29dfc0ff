package io.sfmcsuppression.sfmc;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * The one HTTP stack of every SFMC call (token, REST, SOAP): Quarkus REST clients with the
 * configured connect and read timeouts and TLS, one per API and host. It is also where the bearer
 * token and the secret are kept to Salesforce: a URL that is not https on a Salesforce host (or a
 * host {@code sfmc.allowed-test-hosts} names) is refused before anything is sent to it.
 */
@ApplicationScoped
class SfmcHttp {

    /** What a host is used for; SOAP hosts may also be on exacttarget.com. */
    enum Purpose {
        AUTH(List.of(".marketingcloudapis.com")),
        REST(List.of(".marketingcloudapis.com")),
        SOAP(List.of(".marketingcloudapis.com", ".exacttarget.com"));

        private final List<String> salesforceDomains;

        Purpose(List<String> salesforceDomains) {
            this.salesforceDomains = salesforceDomains;
        }
    }

    private record Key(URI base, Class<?> api) {
    }

    private final SfmcConfig config;
    private final TlsConfigurationRegistry tls;
    private final List<String> testHosts;
    private final Map<Key, Object> clients = new ConcurrentHashMap<>();

    SfmcHttp(SfmcConfig config, TlsConfigurationRegistry tls) {
        this.config = config;
        this.tls = tls;
        this.testHosts = config.allowedTestHosts().orElse(List.of()).stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    }

    /**
     * The client of {@code api} at {@code base}, after checking that the host may receive SFMC
     * credentials.
     *
     * @param source where the URL came from, named in a refusal (e.g. "SFMC_AUTH_BASE_URI")
     */
    <T> T client(Class<T> api, URI base, Purpose purpose, String source) {
        allowed(base, purpose, source);
        return api.cast(clients.computeIfAbsent(new Key(base, api), k -> build(api, base)));
    }

    /** Refuses a URL that would carry the secret or a token anywhere but to Salesforce. */
    void allowed(URI base, Purpose purpose, String source) {
        String host = base.getHost() == null ? "" : base.getHost().toLowerCase(Locale.ROOT);
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        boolean salesforce = scheme.equals("https") && purpose.salesforceDomains.stream().anyMatch(host::endsWith);
        boolean testHost = (scheme.equals("https") || scheme.equals("http")) && testHosts.contains(host);
        if (!salesforce && !testHost) {
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0, "Refused to send SFMC credentials to "
                    + scheme + "://" + host + " (from " + source + "): " + purpose.name().toLowerCase(Locale.ROOT)
                    + " URLs must be https on *" + String.join(" or *", purpose.salesforceDomains)
                    + "; a test stand-in must be named in sfmc.allowed-test-hosts (SFMC_ALLOWED_TEST_HOSTS)", null);
        }
    }

    private <T> T build(Class<T> api, URI base) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true);
        config.tlsConfigurationName().filter(n -> !n.isBlank()).ifPresent(name -> builder.tlsConfiguration(tls.get(name)
                .orElseThrow(() -> new IllegalStateException("sfmc.tls-configuration-name names no quarkus.tls." + name + " configuration"))));
        Log.infof("SFMC %s client for %s", api.getSimpleName(), base);
        return builder.build(api);
    }
}
