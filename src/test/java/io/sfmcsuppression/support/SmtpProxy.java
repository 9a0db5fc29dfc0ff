package io.sfmcsuppression.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of an SMTP server (GreenMail) for two faults on cue.
 * <p>
 * An outage ({@link #down()}, {@link #up()}): the client keeps one port, which stays bound the whole
 * time, so no other process can take it between the outage and the server's return, as it could if
 * the server itself stopped and was started again on that port.
 * <p>
 * A held acceptance ({@link #holdNextAcceptance()}): the server's {@code 250} to the end of a mail's
 * DATA is kept from the client. The server has then accepted the mail (GreenMail delivers it to the
 * mailbox before it answers), while the client still waits for the answer: the window between SMTP
 * accepting a mail and the sender recording it, held open for as long as a test needs.
 * <p>
 * Everything else passes through unchanged.
 */
public final class SmtpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int serverPort;
    private volatile boolean down;
    private final AtomicBoolean holdNext = new AtomicBoolean();
    private final CountDownLatch held = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private SmtpProxy(ServerSocket listener, int serverPort) {
        this.listener = listener;
        this.serverPort = serverPort;
    }

    /** Listens on a free port of 127.0.0.1 and forwards every connection to {@code serverPort}. */
    public static SmtpProxy inFrontOf(int serverPort) throws IOException {
        SmtpProxy proxy = new SmtpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), serverPort);
        daemon("smtp-proxy-accept", proxy::acceptLoop);
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * SMTP is down from now on: every new connection is answered {@code 421} (service not available)
     * and closed, which is how an SMTP server that cannot serve says so, and fails the attempt at once
     * as a refused connection would. A bound port cannot refuse; a reset or a close before any greeting
     * would be nearer at the TCP level, but after either Vert.x's mail client sometimes (reset) or
     * always (close) never completes the send, so the attempt waits for quarkus.mailer.timeout (60 s).
     * Connections already open are closed. Returns this proxy, so that it can be down from its creation.
     */
    public SmtpProxy down() {
        down = true;
        // The connections already open go too, as when a server dies: a mail client keeps idle ones
        // in its pool, and one left open would carry the next mail through the outage.
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
        return this;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // closed from the other side meanwhile
        }
    }

    /** SMTP is back: new connections reach the server again. */
    public void up() {
        down = false;
    }

    /** The next mail the server accepts: its {@code 250} never reaches the client. One mail only. */
    public void holdNextAcceptance() {
        holdNext.set(true);
    }

    /** Whether a mail was accepted by the server and its acceptance kept from the client within {@code timeout}. */
    public boolean awaitHeld(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (down) {
                    refuse(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                sockets.add(client);
                sockets.add(server);
                daemon("smtp-proxy-commands", () -> copyCommands(client, server));
                daemon("smtp-proxy-replies", () -> forwardReplies(server, client));
            } catch (IOException closedOrRefused) {
                // the proxy is closing, or the server is not listening: the client sees its connection fail
            }
        }
    }

    /** Client to server: bytes as they come; a killed client ends both connections. */
    private static void copyCommands(Socket client, Socket server) {
        try (client; server) {
            client.getInputStream().transferTo(server.getOutputStream());
        } catch (IOException gone) {
            // either side went away; closing both is all there is to do
        }
    }

    /**
     * Server to client, reply line by reply line. The first {@code 250} after a {@code 354} answers
     * the end of DATA: the mail is accepted. When a hold is asked for, that line and everything after
     * it stay here.
     */
    private void forwardReplies(Socket server, Socket client) {
        try {
            InputStream in = server.getInputStream();
            OutputStream out = client.getOutputStream();
            boolean inData = false;
            for (byte[] line = readLine(in); line != null; line = readLine(in)) {
                String reply = new String(line, StandardCharsets.US_ASCII);
                if (reply.startsWith("354")) {
                    inData = true;
                } else if (inData && reply.startsWith("250")) {
                    inData = false;
                    if (holdNext.compareAndSet(true, false)) {
                        held.countDown();
                        return;
                    }
                }
                out.write(line);
                out.flush();
            }
        } catch (IOException gone) {
            // the client was killed or the proxy closed
        }
    }

    private static void refuse(Socket client) throws IOException {
        try (client) {
            client.getOutputStream().write("421 4.3.2 Service not available\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }
}
