package io.sfmcsuppression.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * The live heap of a packaged jar: a full collection through {@code jcmd <pid> GC.run}, then the
 * service's own Micrometer gauge {@code jvm_gc_live_data_size_bytes}, the old generation right
 * after that collection. A full GC leaves every live object there, so this is the live set;
 * unlike the heap in use, it does not count what the running load allocated since the GC.
 */
public final class HeapAfterGc {

    private final PackagedApp app;
    private final HttpClient http = HttpClient.newHttpClient();

    public HeapAfterGc(PackagedApp app) {
        this.app = app;
    }

    /** Bytes of live objects right after a full GC. */
    public long sample() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(app.pid()), "GC.run")
                .redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed: " + output);
        }
        String metrics = http.send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("No jvm_gc_live_data_size_bytes in /q/metrics");
    }
}
