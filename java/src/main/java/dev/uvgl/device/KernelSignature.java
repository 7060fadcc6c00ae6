package dev.uvgl.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A kernel as registered by UVGL_REGISTER in its .cu file: name, argument types (p i l f), each
 * argument's role (in, out, inout for pointers, - for scalars), and whether equal inputs must give
 * bitwise-equal outputs under any schedule.
 */
public record KernelSignature(String name, String types, List<String> roles, boolean deterministic,
        long maxDynamicShared) {
    public static List<KernelSignature> parseRegistry(String text) {
        List<KernelSignature> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\\|");
            List<String> roles = List.of(f[2].split(","));
            if (roles.size() != f[1].length())
                throw new IllegalStateException("kernel " + f[0] + " registers " + roles.size() + " roles for "
                        + f[1].length() + " arguments");
            out.add(new KernelSignature(f[0], f[1], roles, f[3].equals("deterministic"), Long.parseLong(f[4])));
        }
        return out;
    }

    public boolean isOut(int arg) { return roles.get(arg).equals("out"); }
}
