package io.sfmcsuppression.support;

import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP server (GreenMail) for {@code @QuarkusTest} classes, on a port the kernel picks, so
 * parallel builds on one machine never collide. The mailer is pointed at it; a field of type
 * {@code SmtpServer} annotated {@link InjectSmtp} receives it. {@link #stop()} and {@link #start()}
 * simulate an outage: the server comes back on the port it had, which the mailer was told.
 */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {

    private static final String HOST = "127.0.0.1";

    private GreenMail mail;
    private int port;

    @Override
    public Map<String, String> start() {
        if (mail == null) {
            mail = open(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort());
            port = mail.getSmtp().getPort();
        } else {
            mail = open(new ServerSetup(port, HOST, ServerSetup.PROTOCOL_SMTP));
        }
        return Map.of("quarkus.mailer.host", HOST, "quarkus.mailer.port", String.valueOf(port));
    }

    private static GreenMail open(ServerSetup setup) {
        GreenMail server = new GreenMail(setup).withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        server.start();
        return server;
    }

    @Override
    public void stop() {
        if (mail != null) {
            mail.stop();
        }
    }

    /** Every copy received since the server started (one per recipient). */
    public MimeMessage[] receivedMessages() {
        return mail.getReceivedMessages();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectSmtp.class, SmtpServer.class));
    }
}
