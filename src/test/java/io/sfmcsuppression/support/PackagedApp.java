package io.sfmcsuppression.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, for tests of
 * what an operator runs: start, kill -9, start again. Runs on an H2 file in its own directory, or
 * on a fresh PostgreSQL database when the suite runs with the {@code pg} test profile.
 */
public final class PackagedApp implements AutoCloseable {

    public static final String API_KEY = "it-admin-key";
    /** The SFMC client of {@link #live}, the one {@link SfmcWireMock#standalone} issues tokens for. */
    public static final String CLIENT_ID = "it-client";
    public static final String CLIENT_SECRET = "it-secret";

    /*
     * Quarkus's start-up line, with the ports it bound:
     * "... started in 1.234s. Listening on: http://0.0.0.0:41234. Management interface listening on http://0.0.0.0:40321."
     * The final dot is required, so that a line still being written cannot yield part of a port.
     */
    private static final Pattern HTTP_PORT = Pattern.compile("Listening on: http://[^/\\s]*:(\\d+)\\.");
    private static final Pattern MANAGEMENT_PORT = Pattern.compile("Management interface listening on http://[^/\\s]*:(\\d+)\\.");

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private String postgresDatabase;
    private Process process;
    /** The ports of the process last started (kept after it ends), null while one starts. */
    private volatile Listening listening;

    /** Where a process listens. */
    private record Listening(int http, int management) {
    }

    private PackagedApp(Path workDir) {
        this.workDir = workDir;
        // The kernel picks both ports as the process binds them; a port chosen beforehand could be taken meanwhile.
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_MANAGEMENT_PORT", "0");
    }

    /** A fresh application directory and database; nothing is started yet. */
    public static PackagedApp fresh(String name) throws IOException, SQLException {
        return fresh(name, onPostgres());
    }

    /** As {@link #fresh(String)}, always on a new PostgreSQL database (several instances can share it). */
    public static PackagedApp freshOnPostgres(String name) throws IOException, SQLException {
        return fresh(name, true);
    }

    private static PackagedApp fresh(String name, boolean postgres) throws IOException, SQLException {
        PackagedApp app = new PackagedApp(Files.createTempDirectory("it-" + name));
        app.env.put("SECURITY_API_KEYS_IT_SHA256", sha256(API_KEY));
        app.env.put("SECURITY_API_KEYS_IT_ROLES", "ingest,read,consent,operate");
        if (postgres) {
            String database = "suppression_it_" + name.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + ProcessHandle.current().pid();
            app.postgresDatabase = database;
            runOnPostgres("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", "CREATE DATABASE " + database);
            app.env.put("QUARKUS_PROFILE", "prod,postgresql");
            app.env.put("QUARKUS_DATASOURCE_PG_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
            app.env.put("QUARKUS_DATASOURCE_PG_USERNAME", pgUser());
            app.env.put("QUARKUS_DATASOURCE_PG_PASSWORD", System.getenv().getOrDefault("TEST_PG_PASSWORD", ""));
        }
        return app;
    }

    /** Whether a PostgreSQL server answers with the test credentials (CI always starts one). */
    public static boolean postgresAvailable() {
        try {
            requirePostgres();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Fails with the driver's own exception as the cause when PostgreSQL does not answer. */
    public static void requirePostgres() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", pgUser(),
                System.getenv().getOrDefault("TEST_PG_PASSWORD", ""))) {
            if (!c.isValid(2)) {
                throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 accepted a connection but is not valid");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 does not answer: " + e.getMessage(), e);
        }
    }

    public static boolean onPostgres() {
        return System.getProperty("quarkus.test.profile", "").contains("pg");
    }

    /**
     * A second instance with the same configuration and database, in its own directory and on its
     * own ports. Closing it leaves the shared database to this instance.
     */
    public PackagedApp replica() throws IOException {
        PackagedApp replica = new PackagedApp(Files.createTempDirectory("it-replica"));
        env.forEach(replica.env::putIfAbsent);
        replica.jvmOptions.addAll(jvmOptions);
        return replica;
    }

    /** The JDBC URL of this instance's PostgreSQL database (only for {@link #freshOnPostgres}). */
    public String postgresUrl() {
        if (postgresDatabase == null) {
            throw new IllegalStateException("not on PostgreSQL");
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + postgresDatabase;
    }

    public PackagedApp with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Live mode against test doubles: SFMC at {@code sfmcBaseUrl} (WireMock, with {@code Acme Weekly} and
     * {@code Globex News} mapped), SMTP on 127.0.0.1:{@code smtpPort}, the N04 mail to
     * marketing@example.org without STARTTLS, files in {@code deliverables}, and the flusher and export timer at 1 s.
     */
    public PackagedApp live(String sfmcBaseUrl, int smtpPort, Path deliverables) {
        return with("SUPPRESSION_MODE", "live")
                .with("SFMC_CLIENT_ID", CLIENT_ID).with("SFMC_CLIENT_SECRET", CLIENT_SECRET)
                .with("SFMC_AUTH_BASE_URI", sfmcBaseUrl)
                // WireMock (127.0.0.1, named localhost in its base URL) stands in for Salesforce's hosts.
                .with("SFMC_ALLOWED_TEST_HOSTS", "127.0.0.1,localhost")
                .with("SFMC_SUPPRESSION_LIST_MAPPING", "{\"Acme Weekly\":\"ASL_ACME\",\"Globex News\":\"ASL_GLOBEX\"}")
                .with("SFMC_FLUSH_INTERVAL", "1s")
                // These tests are about delivery under faults and restarts; read-back is SfmcLiveUpsertTest's.
                .with("SFMC_VERIFY_WRITES", "false")
                .with("EXPORT_EVERY", "1s")
                .with("DELIVERABLES_DIR", deliverables.toString())
                .with("NOTIFICATION_MARKETING_TO", "marketing@example.org")
                .with("NOTIFICATION_FROM", "suppression@example.org")
                .plainSmtp(smtpPort);
    }

    /** SMTP on 127.0.0.1:{@code port} without STARTTLS: GreenMail speaks plain SMTP, prod requires STARTTLS (PlatformIT). */
    public PackagedApp plainSmtp(int port) {
        return with("QUARKUS_MAILER_HOST", "127.0.0.1").with("QUARKUS_MAILER_PORT", String.valueOf(port))
                .with("QUARKUS_MAILER_START_TLS", "DISABLED");
    }

    /** No API key configured at all (the ITs' all-roles key removed), as on a first install. */
    public PackagedApp withoutApiKeys() {
        env.keySet().removeIf(name -> name.startsWith("SECURITY_API_KEYS_"));
        return this;
    }

    /** One more API key ({@code security.api-keys.<name>}), configured by its hash as an operator would. */
    public PackagedApp withApiKey(String name, String key, String roles) {
        String prefix = "SECURITY_API_KEYS_" + name.toUpperCase(java.util.Locale.ROOT);
        return with(prefix + "_SHA256", sha256(key)).with(prefix + "_ROLES", roles);
    }

    /** A JVM option for the next starts, such as {@code -Xmx256m}. */
    public PackagedApp jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Starts the jar and waits until it has logged its ports and answers ready. */
    public PackagedApp start() throws IOException, InterruptedException {
        String jar = System.getProperty("quarkus.app.jar", "target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
        Path log = workDir.resolve("app.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        listening = null;
        process = builder.start();
        awaitReady(logStart, Duration.ofSeconds(60));
        return this;
    }

    /** Ends the process at once, like a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Sends SIGTERM and waits for the process to end, as Kubernetes stops a pod. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("The application did not stop within 60 s of SIGTERM");
        }
    }

    /** The running process's id, for jcmd. */
    public long pid() {
        return process.pid();
    }

    /** The public port: {@code /api}. Each start binds new ports, so ask again after a restart. */
    public String baseUri() {
        return "http://127.0.0.1:" + listening().http();
    }

    /** The management interface: health, metrics, OpenAPI. Each start binds new ports, as {@link #baseUri()}. */
    public String managementUri() {
        return "http://127.0.0.1:" + listening().management();
    }

    /** The Prometheus scrape. */
    public String metricsUrl() {
        return managementUri() + "/q/metrics";
    }

    public Path workDir() {
        return workDir;
    }

    public String log() throws IOException {
        return Files.readString(workDir.resolve("app.log"));
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
        if (postgresDatabase != null) {
            runOnPostgres("DROP DATABASE IF EXISTS " + postgresDatabase + " WITH (FORCE)");
        }
    }

    private Listening listening() {
        Listening ports = listening;
        if (ports == null) {
            throw new IllegalStateException("The application has not logged its ports yet: start() it first");
        }
        return ports;
    }

    private void awaitReady(long logStart, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The application exited during startup:\n" + log());
            }
            if (listening == null) {
                listening = loggedPorts(logStart);
            }
            if (listening != null && ready(http)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The application was not ready within " + timeout + ":\n" + log());
    }

    private boolean ready(HttpClient http) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(managementUri() + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * The ports in this start's part of the log, null until logged. Earlier processes' lines, with
     * their ports, come before {@code logStart}.
     */
    private Listening loggedPorts(long logStart) throws IOException {
        String thisStart;
        try (InputStream in = Files.newInputStream(workDir.resolve("app.log"))) {
            in.skipNBytes(logStart);
            thisStart = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher http = HTTP_PORT.matcher(thisStart);
        Matcher management = MANAGEMENT_PORT.matcher(thisStart);
        return http.find() && management.find()
                ? new Listening(Integer.parseInt(http.group(1)), Integer.parseInt(management.group(1))) : null;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String pgUser() {
        return System.getenv().getOrDefault("TEST_PG_USER", "postgres");
    }

    private static void runOnPostgres(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", pgUser(),
                System.getenv().getOrDefault("TEST_PG_PASSWORD", ""));
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static String sha256(String value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
