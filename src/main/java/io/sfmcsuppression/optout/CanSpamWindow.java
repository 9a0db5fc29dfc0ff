package io.sfmcsuppression.optout;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sfmcsuppression.config.AppConfig;

/**
 * The CAN-SPAM processing window: an opt-out must be honoured within
 * {@code consent.processing-window-business-days} business days (Monday to Friday, minus
 * {@code consent.holidays}) of the day it was received, counted in {@code app.zone}. The deadline
 * is the end of the last of those days.
 */
@ApplicationScoped
class CanSpamWindow {

    private final int businessDays;
    private final Set<LocalDate> holidays;
    private final ZoneId zone;

    @Inject
    CanSpamWindow(OptOutConfig config, AppConfig app) {
        this(config.processingWindowBusinessDays(), config.holidays().orElse(List.of()), app.zone());
    }

    CanSpamWindow(int businessDays, List<LocalDate> holidays, ZoneId zone) {
        this.businessDays = businessDays;
        this.holidays = new TreeSet<>(holidays);
        this.zone = zone;
    }

    /** The instant after which an opt-out received at {@code receivedAt} is overdue. */
    Instant deadline(Instant receivedAt) {
        return lastDay(receivedAt).plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** The last business day of the window. */
    LocalDate lastDay(Instant receivedAt) {
        LocalDate day = LocalDate.ofInstant(receivedAt, zone);
        for (int counted = 0; counted < businessDays; ) {
            day = day.plusDays(1);
            if (isBusinessDay(day)) {
                counted++;
            }
        }
        return day;
    }

    /** Business days from today up to and including the last day of the window; 0 on that day, negative after it. */
    int businessDaysLeft(Instant receivedAt, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        LocalDate last = lastDay(receivedAt);
        int sign = today.isAfter(last) ? -1 : 1;
        LocalDate from = sign > 0 ? today : last;
        LocalDate to = sign > 0 ? last : today;
        int n = 0;
        for (LocalDate d = from.plusDays(1); !d.isAfter(to); d = d.plusDays(1)) {
            if (isBusinessDay(d)) {
                n++;
            }
        }
        return sign * n;
    }

    boolean isBusinessDay(LocalDate day) {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY && !holidays.contains(day);
    }

    int businessDays() {
        return businessDays;
    }

    Set<LocalDate> holidays() {
        return holidays;
    }
}
