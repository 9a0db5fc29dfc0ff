package io.sfmcsuppression.bench;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * The start-up baseline: the least a JVM does to answer HTTP 200 on this machine at this moment
 * (the JDK's built-in server, nothing else). Started and timed exactly like the service.
 */
public final class JvmFloor {

    private JvmFloor() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[args.length - 1])), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }
}
