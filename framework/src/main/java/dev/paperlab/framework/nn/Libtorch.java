package dev.paperlab.framework.nn;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** libtorch_cpu as the DJL engine loaded it, for the few switches DJL does not expose. */
final class Libtorch {
    private Libtorch() {}

    /** The loaded libtorch_cpu, found in the process's memory map (Linux); loads the engine first. */
    static NativeLibrary cpu() throws IOException {
        Engine.getInstance(); // loads libtorch
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            throw new IllegalStateException("no /proc/self/maps to find libtorch_cpu in");
        }
        try (var lines = Files.lines(maps)) {
            String path = lines.filter(l -> l.contains("libtorch_cpu."))
                    .map(l -> l.substring(l.indexOf('/')))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("libtorch_cpu is not loaded"));
            return NativeLibrary.getInstance(path);
        }
    }
}
