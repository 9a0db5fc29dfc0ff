package io.sfmcsuppression.suppressions;

import java.time.Instant;

import io.sfmcsuppression.suppression.FlusherControl;

/** The flusher's switch as the API shows it: paused or running, and who changed it last, why and when. */
public record FlusherSwitch(boolean paused, String changedBy, String reason, Instant changedAt) {

    static FlusherSwitch of(FlusherControl.State state) {
        return new FlusherSwitch(state.paused(), state.changedBy(), state.reason(), state.changedAt());
    }
}
