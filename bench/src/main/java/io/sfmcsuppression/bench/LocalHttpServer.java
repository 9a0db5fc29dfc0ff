package io.sfmcsuppression.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/** The JDK HTTP server on a free loopback port, 64 handler threads: what the stand-ins run on. */
final class LocalHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(64);

    LocalHttpServer(HttpHandler handler) throws IOException {
        // Without TCP_NODELAY the JDK server writes the response headers and body in two packets and
        // Nagle's algorithm meets the client's delayed ACK: about 40 ms more per request. Read once,
        // when the server classes initialise, so before the first HttpServer of this JVM.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(pool);
        server.createContext("/", handler);
        server.start();
    }

    String baseUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
