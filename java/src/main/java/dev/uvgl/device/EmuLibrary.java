package dev.uvgl.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads libuvgl_emu.so once per JVM: from the path in system property uvgl.emu.library if set (the
 * planted-bug tests load a build with extra kernels that way), else from the jar's
 * native/linux-x86_64/. Never throws: a failure becomes the reason `info` and --device emu print.
 */
public final class EmuLibrary {
    public record State(boolean loaded, String detail) {}

    static final String RESOURCE = "/native/linux-x86_64/libuvgl_emu.so";
    private static State state;

    private EmuLibrary() {}

    public static synchronized State load() {
        if (state == null) state = tryLoad();
        return state;
    }

    private static State tryLoad() {
        String os = System.getProperty("os.name", ""), arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase().contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64")))
            return new State(false, "the emulated device is built for linux-x86_64 only, this is " + os + "/" + arch);
        String override = System.getProperty("uvgl.emu.library");
        try {
            Path lib;
            if (override != null && !override.isBlank()) {
                lib = Path.of(override);
                if (!Files.isRegularFile(lib))
                    return new State(false, "uvgl.emu.library=" + override + " is not a file");
            } else {
                try (InputStream in = EmuLibrary.class.getResourceAsStream(RESOURCE)) {
                    if (in == null)
                        return new State(false, "this jar carries no libuvgl_emu.so "
                                + "(built without nvcc's CUDA headers or without a JDK's jni.h; see README)");
                    lib = Files.createTempFile("uvgl_emu", ".so");
                    lib.toFile().deleteOnExit();
                    Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.load(lib.toAbsolutePath().toString());
            String registry = EmuNative.registry();
            int kernels = KernelSignature.parseRegistry(registry).size();
            return new State(true, "libuvgl_emu.so loaded, " + kernels + " kernels registered");
        } catch (IOException e) {
            return new State(false, "could not unpack libuvgl_emu.so: " + e.getMessage());
        } catch (LinkageError e) {
            return new State(false, "libuvgl_emu.so did not load: " + e.getMessage());
        }
    }
}
