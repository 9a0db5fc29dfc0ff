package io.sfmcsuppression.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for background work (the suppression flusher) to reach a state. */
public final class Eventually {

    private Eventually() {
    }

    public static void within(Duration limit, String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + limit + " waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for: " + what);
            }
        }
    }
}
