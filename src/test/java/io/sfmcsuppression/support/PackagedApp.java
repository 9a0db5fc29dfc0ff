package io.sfmcsuppression.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged jar ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, for tests of
 * what an operator runs: start, kill -9, start again. Runs on an H2 file in its own directory, or
 * on a fresh PostgreSQL database when the suite runs with the {@code pg} test profile.
 */
public final class PackagedApp implements AutoCloseable {

    public static final String API_KEY = "it-admin-key";

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private final int port;
    private String postgresDatabase;
    private Process process;

    private PackagedApp(Path workDir, int port) {
        this.workDir = workDir;
        this.port = port;
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
        PackagedApp app = new PackagedApp(Files.createTempDirectory("it-" + name), freePort());
        app.env.put("QUARKUS_HTTP_PORT", String.valueOf(app.port));
        app.env.put("SECURITY_API_KEYS_IT_SHA256", sha256(API_KEY));
        app.env.put("SECURITY_API_KEYS_IT_ROLES", "ingest,read,consent");
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
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", pgUser(),
                System.getenv().getOrDefault("TEST_PG_PASSWORD", ""))) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    public static boolean onPostgres() {
        return System.getProperty("quarkus.test.profile", "").contains("pg");
    }

    /**
     * A second instance with the same configuration and database, in its own directory and on its
     * own port. Closing it leaves the shared database to this instance.
     */
    public PackagedApp replica() throws IOException {
        PackagedApp replica = new PackagedApp(Files.createTempDirectory("it-replica"), freePort());
        replica.env.putAll(env);
        replica.env.put("QUARKUS_HTTP_PORT", String.valueOf(replica.port));
        return replica;
    }

    public PackagedApp with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Starts the jar and waits until it answers ready. */
    public PackagedApp start() throws IOException, InterruptedException {
        String jar = System.getProperty("quarkus.app.jar", "target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", Path.of(jar).toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("app.log").toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        awaitReady(Duration.ofSeconds(60));
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

    public String baseUri() {
        return "http://127.0.0.1:" + port;
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

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The application exited during startup:\n" + log());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUri() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The application was not ready within " + timeout + ":\n" + log());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
