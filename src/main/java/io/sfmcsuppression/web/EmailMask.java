package io.sfmcsuppression.web;

/** Masks email addresses for logs: {@code jane.doe@acme.org} becomes {@code j***@acme.org}. */
public final class EmailMask {

    private EmailMask() {
    }

    public static String mask(String email) {
        if (email == null || email.isEmpty()) {
            return "";
        }
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
