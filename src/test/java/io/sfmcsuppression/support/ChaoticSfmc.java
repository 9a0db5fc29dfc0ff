package io.sfmcsuppression.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * WireMock standing in for a misbehaving SFMC (token host and REST host on one dynamic port). In
 * {@link Mode#CHAOS} it issues tokens that expire after {@link #TOKEN_LIFETIME} and refuses any
 * other token with 401, and answers upserts from a seeded random draw: 30 % 429 with
 * {@code Retry-After} 1 or 2 s, 10 % 500, 10 % 200 after {@link #SLOW_ANSWER} (past the service's
 * request timeout), the rest 200 after 20-250 ms. The other modes are outages. Every call is
 * recorded with its arrival and the moment its answer was sent, so a test can check what the
 * service did in time, not only what it ended with.
 */
public final class ChaoticSfmc implements ResponseDefinitionTransformerV2, ServeEventListener {

    public static final int TOKEN_LIFETIME_SECONDS = 5;
    public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(TOKEN_LIFETIME_SECONDS);
    public static final Duration SLOW_ANSWER = Duration.ofSeconds(3);
    private static final String ROWSET = "/hub/v1/dataevents/key:[^/]+/rowset";

    /** How the stand-in behaves right now. */
    public enum Mode {
        /** Tokens work; upserts meet 429, 500, slow and good answers. */
        CHAOS,
        /** The REST host answers 503 to every upsert; the token host still works. */
        REST_503,
        /** Both hosts drop every connection, as a host that is down. */
        UNREACHABLE
    }

    /** What the stand-in made of one call. */
    public enum Answer { TOKEN, TOKEN_RESET, UNAUTHORIZED_EXPIRED, UNAUTHORIZED_REVOKED, THROTTLED, SERVER_ERROR, SLOW_OK, OK,
        UNAVAILABLE, RESET, REFUSED_BY_CONTRACT }

    /**
     * One call. {@code answered} is when the answer left WireMock (null until then, or when the
     * client had hung up); {@code retryAfter} is set on 429s; {@code emails} are the rows' addresses.
     */
    public record Call(UUID id, Instant arrived, Instant answered, Answer answer, Duration retryAfter, List<String> emails) {

        public boolean upsert() {
            return answer != Answer.TOKEN && answer != Answer.TOKEN_RESET;
        }
    }

    private record Token(Instant expiresAt, boolean revoked) {
    }

    private final Random random;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger tokenSerial = new AtomicInteger();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<UUID, Call> calls = new ConcurrentHashMap<>();
    private final List<UUID> order = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.CHAOS;
    private volatile boolean revokeAtNextUpsert;
    private WireMockServer server;

    private ChaoticSfmc(long seed) {
        this.random = new Random(seed);
    }

    /** Starts WireMock on a free port of 127.0.0.1 with this stand-in answering every request. */
    public static ChaoticSfmc start(long seed) {
        ChaoticSfmc sfmc = new ChaoticSfmc(seed);
        SfmcContract.expectClient(PackagedApp.CLIENT_ID, PackagedApp.CLIENT_SECRET);
        sfmc.server = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(32).extensions(sfmc));
        sfmc.server.start();
        sfmc.server.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.ok()));
        return sfmc;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public void mode(Mode next) {
        mode = next;
    }

    /**
     * At the next upsert with a valid token, invalidates every token issued so far and answers that
     * upsert 401, as SFMC does when it drops sessions. Tied to a request so that it happens whatever
     * the service's timing; a plain revocation could fall between two renewals and never be seen.
     */
    public void revokeTokensAtNextUpsert() {
        revokeAtNextUpsert = true;
    }

    /** Every call so far, in order of arrival. */
    public List<Call> calls() {
        List<Call> all = new ArrayList<>();
        for (UUID id : order) {
            all.add(calls.get(id));
        }
        return all;
    }

    public void stop() {
        server.stop();
    }

    @Override
    public String getName() {
        return "chaotic-sfmc";
    }

    /** Answers every request and sees every answer leave, without naming itself in stubs. */
    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Instant arrived = Instant.now();
        Request request = event.getRequest();
        String path = request.getUrl().replaceFirst("\\?.*", "");
        boolean post = "POST".equals(request.getMethod().getName());
        Reply reply;
        List<String> emails = List.of();
        if (post && path.equals("/v2/token")) {
            reply = mode == Mode.UNREACHABLE ? token() : refused(request).orElseGet(this::token);
        } else if (post && path.matches(ROWSET)) {
            emails = emails(request.getBodyAsString());
            reply = mode == Mode.UNREACHABLE ? upsert(null, null)
                    : refused(request).orElseGet(() -> upsert(request.getHeader("Authorization"), request.getBodyAsString()));
        } else {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(404).build();
        }
        order.add(event.getId());
        calls.put(event.getId(), new Call(event.getId(), arrived, null, reply.answer(), reply.retryAfter(), emails));
        return reply.response().build();
    }

    @Override
    public void afterComplete(ServeEvent event, Parameters parameters) {
        // With a client that hung up (a timeout) the answer may never have been written; then no end is known.
        if (event.getResponse() != null && event.getResponse().getFault() == null) {
            calls.computeIfPresent(event.getId(), (id, call) ->
                    new Call(id, call.arrived(), Instant.now(), call.answer(), call.retryAfter(), call.emails()));
        }
    }

    private record Reply(Answer answer, Duration retryAfter, ResponseDefinitionBuilder response) {
        Reply(Answer answer, ResponseDefinitionBuilder response) {
            this(answer, null, response);
        }
    }

    /** What SFMC would refuse whatever the weather (SfmcContract: form, credentials, issued token, body shape). */
    private static Optional<Reply> refused(Request request) {
        return SfmcContract.refusal(request).map(refusal -> new Reply(Answer.REFUSED_BY_CONTRACT,
                ResponseDefinitionBuilder.like(refusal)));
    }

    private Reply token() {
        if (mode == Mode.UNREACHABLE) {
            return new Reply(Answer.TOKEN_RESET, ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER));
        }
        String value = "tok-chaos-" + tokenSerial.incrementAndGet();
        tokens.put(value, new Token(Instant.now().plus(TOKEN_LIFETIME), false));
        SfmcContract.accept(value, Optional.empty());
        String body = "{\"access_token\":\"" + value + "\",\"token_type\":\"Bearer\",\"expires_in\":" + TOKEN_LIFETIME_SECONDS
                + ",\"scope\":\"data_extensions_write\",\"rest_instance_url\":\"" + server.baseUrl() + "/\","
                + "\"soap_instance_url\":\"" + server.baseUrl() + "/\"}";
        return new Reply(Answer.TOKEN, json(200, body));
    }

    private Reply upsert(String authorization, String body) {
        if (mode == Mode.UNREACHABLE) {
            return new Reply(Answer.RESET, ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER));
        }
        Token token = authorization == null ? null : tokens.get(authorization.replaceFirst("^Bearer ", ""));
        if (token != null && !token.revoked() && revokeAtNextUpsert) {
            revokeAtNextUpsert = false;
            tokens.replaceAll((value, issued) -> new Token(issued.expiresAt(), true));
            token = tokens.get(authorization.replaceFirst("^Bearer ", ""));
        }
        if (token == null || token.revoked()) {
            return new Reply(Answer.UNAUTHORIZED_REVOKED, json(401, "{\"message\":\"Not Authorized\",\"errorcode\":0,\"documentation\":\"\"}"));
        }
        if (!Instant.now().isBefore(token.expiresAt())) {
            return new Reply(Answer.UNAUTHORIZED_EXPIRED, json(401, "{\"message\":\"Not Authorized\",\"errorcode\":0,\"documentation\":\"\"}"));
        }
        if (mode == Mode.REST_503) {
            return new Reply(Answer.UNAVAILABLE, json(503, "{\"message\":\"Service Unavailable\",\"errorcode\":0}"));
        }
        double draw;
        int retryAfter;
        int delay;
        synchronized (random) {
            draw = random.nextDouble();
            retryAfter = 1 + random.nextInt(2);
            delay = 20 + random.nextInt(231);
        }
        if (draw < 0.30) {
            return new Reply(Answer.THROTTLED, Duration.ofSeconds(retryAfter),
                    json(429, "{\"message\":\"Too many requests\",\"errorcode\":50100}").withHeader("Retry-After", Integer.toString(retryAfter)));
        }
        if (draw < 0.40) {
            return new Reply(Answer.SERVER_ERROR, json(500, "{\"message\":\"An error occurred\",\"errorcode\":0}"));
        }
        if (draw < 0.50) {
            return new Reply(Answer.SLOW_OK, json(200, body).withFixedDelay((int) SLOW_ANSWER.toMillis()));
        }
        return new Reply(Answer.OK, json(200, body).withFixedDelay(delay));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body);
    }

    private List<String> emails(String body) {
        List<String> emails = new ArrayList<>();
        try {
            for (JsonNode row : json.readTree(body)) {
                emails.add(row.path("keys").path("Email Address").asText());
            }
        } catch (Exception e) {
            throw new IllegalStateException("An upsert body that is not a JSON array: " + e.getMessage(), e);
        }
        return emails;
    }
}
