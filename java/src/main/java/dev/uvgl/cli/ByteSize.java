package dev.uvgl.cli;

import java.util.Locale;

/** Sizes such as 64M, 80G or 65536 (bytes; K, M, G are powers of 1024), as users write them. */
final class ByteSize {
    /** The emulated device's memory unless --emu-memory says otherwise. */
    static final String EMU_DEFAULT = "4G";
    static final String EMU_HELP = "memory of the emulated device (--device emu), e.g. 512M, or 80G as an H100 "
            + "(default: 4G)";

    private ByteSize() {}

    /** --emu-memory, checked whatever the device, so a mistyped size is an error even when it would not be used. */
    static long emuMemory(String text) { return parse("--emu-memory", text == null ? EMU_DEFAULT : text); }

    /** Checks --emu-memory while the command line is parsed, before any other work: a bad size is a usage error. */
    static final class Checked implements picocli.CommandLine.ITypeConverter<String> {
        @Override public String convert(String value) {
            try {
                parse("--emu-memory", value);
                return value;
            } catch (UserError e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

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
