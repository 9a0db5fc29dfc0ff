package io.sfmcsuppression.support;

import java.io.IOException;
import java.net.ServerSocket;

/** Free local ports, so parallel builds on one machine never collide. */
public final class Ports {

    private Ports() {
    }

    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
