package dev.uvgl.cli;

import java.util.Locale;

/** Sizes such as 64M, 80G or 65536 (bytes; K, M, G are powers of 1024), as users write them. */
final class ByteSize {
    private ByteSize() {}

    static long parse(String option, String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        int shift = t.endsWith("K") ? 10 : t.endsWith("M") ? 20 : t.endsWith("G") ? 30 : 0;
        if (shift > 0) t = t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(t);
            if (v > 0 && v <= (Long.MAX_VALUE >> shift)) return v << shift;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(option + " " + text + " is not a size; write bytes or a number with K, M or G, e.g. 512M");
    }
}
