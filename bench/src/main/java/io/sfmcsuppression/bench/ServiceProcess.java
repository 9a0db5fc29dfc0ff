package io.sfmcsuppression.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the harness starts and times: the packaged service ({@link #service}) or any other
 * command ({@link #command}). Ready means the first 200 on the ready URL; the time is taken from
 * just before the process is spawned, polling every 10 ms.
 */
final class ServiceProcess implements AutoCloseable {

    static final String API_KEY = "bench-ingest-key";

    /** Accounts of the generated determinations that map to a data extension; others are skipped. */
    static final String SUPPRESSION_LIST_MAPPING =
            "{\"Acme Weekly\":\"ASL_ACME\",\"Globex News\":\"ASL_GLOBEX\",\"Initech Digest\":\"ASL_INITECH\","
                    + "\"Umbrella Briefing\":\"ASL_UMBRELLA\"}";

    /** USER_HZ of /proc/PID/stat: 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final int CLOCK_TICKS = 100;

    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

    private final Process process;
    private final Path log;
    private final int port;
    private final long readyNanos;
    private final double readyCpuSeconds;

    private ServiceProcess(Process process, Path log, int port, long readyNanos) throws IOException {
        this.process = process;
        this.log = log;
        this.port = port;
        this.readyNanos = readyNanos;
        this.readyCpuSeconds = cpuSeconds();
    }

    /** The packaged service on the given database, in dry-run mode, with one ingest key. */
    static ServiceProcess service(BenchOptions options, Postgres db, Path workDir, List<String> jvmArgs)
            throws IOException, InterruptedException {
        return service(options, db, workDir, jvmArgs, Map.of());
    }

    /** As {@link #service(BenchOptions, Postgres, Path, List)}, with more environment (overrides the defaults). */
    static ServiceProcess service(BenchOptions options, Postgres db, Path workDir, List<String> jvmArgs, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        return service(options, db, workDir, javaBinary(), options.jar(), jvmArgs, extraEnv);
    }

    /** As above, with another JVM ({@code java}) and another build of the jar (the aot-jar of the start-up figure). */
    static ServiceProcess service(BenchOptions options, Postgres db, Path workDir, String java, Path jar, List<String> jvmArgs,
                                  Map<String, String> extraEnv) throws IOException, InterruptedException {
        int port = freePort();
        // Probes answer on the management interface, a port of its own.
        int managementPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("QUARKUS_PROFILE", "prod,postgresql");
        env.put("QUARKUS_DATASOURCE_PG_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_PG_USERNAME", db.user());
        env.put("QUARKUS_DATASOURCE_PG_PASSWORD", db.password());
        env.put("SECURITY_API_KEYS_BENCH_SHA256", sha256(API_KEY));
        env.put("SECURITY_API_KEYS_BENCH_ROLES", "ingest,read");
        env.put("SFMC_SUPPRESSION_LIST_MAPPING", SUPPRESSION_LIST_MAPPING);
        env.put("SUPPRESSION_MODE", "dry-run");
        env.put("DELIVERABLES_DIR", workDir.resolve("runs").toString());
        env.putAll(extraEnv);
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options.serviceJvm());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.getFileName().toString());
        // From the jar's directory, as the container image runs it (/deployments), so that an AppCDS
        // archive built with the jar (its class path is relative) can be used.
        return start(command, env, jar.getParent(), workDir, port, managementPort, "/q/health/ready");
    }

    /** Any command that listens on the port it is given as its last argument and answers 200 on {@code path}. */
    static ServiceProcess command(List<String> command, Path workDir, String path) throws IOException, InterruptedException {
        int port = freePort();
        List<String> withPort = new ArrayList<>(command);
        withPort.add(String.valueOf(port));
        return start(withPort, Map.of(), workDir, workDir, port, port, path);
    }

    private static ServiceProcess start(List<String> command, Map<String, String> env, Path directory, Path workDir, int port,
                                        int readyPort, String readyPath) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("process-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + readyPort + readyPath))
                .timeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        Process process = builder.start();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The process exited during start-up:\n" + Files.readString(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new ServiceProcess(process, log, port, System.nanoTime() - start);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Not ready within 120 s:\n" + Files.readString(log));
    }

    String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /** From spawning the process to its first 200 on the ready URL. */
    double readySeconds() {
        return readyNanos / 1e9;
    }

    /** CPU seconds the process had used when it first answered ready. */
    double readyCpuSeconds() {
        return readyCpuSeconds;
    }

    /** Quarkus's own "started in 1.234s" (from JVM start to the end of start-up), if logged. */
    Optional<Double> startedInSeconds() throws IOException {
        Matcher m = STARTED_IN.matcher(Files.readString(log));
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    /**
     * CPU seconds the process has used so far (user + system, /proc/PID/stat). Unlike wall time it
     * hardly depends on what else runs on the machine, so it is the number to compare before and
     * after a change on a busy box.
     */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
    }

    /** Resident set size now and its peak (VmRSS, VmHWM), in MB. */
    double[] residentMegabytes() throws IOException {
        double rss = Double.NaN;
        double peak = Double.NaN;
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line) / 1024.0;
            } else if (line.startsWith("VmHWM:")) {
                peak = kilobytes(line) / 1024.0;
            }
        }
        return new double[] {rss, peak};
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * Throws, with the exit code and the end of the log, when the process has ended although the
     * harness did not stop it: on a shared machine something else may have signalled it.
     */
    void requireAlive() throws IOException {
        if (!process.isAlive()) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("The service process ended during the measurement (exit code "
                    + process.exitValue() + "; 143 is SIGTERM), not stopped by the harness. Its log ends:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
    }

    /** SIGTERM and wait, as Kubernetes stops a pod; a JFR recording is written on the way out. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("\\D", ""));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
