package io.sfmcsuppression.web;

/**
 * CSV cells that ops open in a spreadsheet: a cell the spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or CR) gets a leading apostrophe, so it shows as text.
 */
public final class SpreadsheetCells {

    private SpreadsheetCells() {
    }

    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}
