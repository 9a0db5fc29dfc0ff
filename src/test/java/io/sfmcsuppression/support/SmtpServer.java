package io.sfmcsuppression.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP server (GreenMail) for {@code @QuarkusTest} classes, on a port the kernel picks, so
 * parallel builds on one machine never collide. The mailer is pointed at an {@link SmtpProxy} in
 * front of it, whose port stays bound for the whole test: {@link #down()} and {@link #up()} simulate
 * an outage without giving the port up (a server stopped and started again on its port could find it
 * taken). A field of type {@code SmtpServer} annotated {@link InjectSmtp} receives it.
 */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {

    private static final String HOST = "127.0.0.1";

    private GreenMail mail;
    private SmtpProxy proxy;

    @Override
    public Map<String, String> start() {
        mail = new GreenMail(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        mail.start();
        try {
            proxy = SmtpProxy.inFrontOf(mail.getSmtp().getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.mailer.host", HOST, "quarkus.mailer.port", String.valueOf(proxy.port()));
    }

    @Override
    public void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (mail != null) {
                mail.stop();
            }
        }
    }

    /** SMTP is down: every connection is answered 421 (service not available) until {@link #up()}. */
    public void down() {
        proxy.down();
    }

    /** SMTP is back. */
    public void up() {
        proxy.up();
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
