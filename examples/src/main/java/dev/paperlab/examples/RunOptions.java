package dev.paperlab.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options of every command that runs a model: seed, device and output folder (a picocli mixin). */
public final class RunOptions {
    /** The devices {@code --device} accepts. */
    enum DeviceChoice {
        CPU,
        GPU;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(
            names = "--seed",
            description = "Random seed; the same seed gives the same numbers on CPU (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(
            names = "--device",
            description = "${COMPLETION-CANDIDATES} (default: DJL's default device, a GPU when one is visible).")
    DeviceChoice device;

    @Option(names = "--out", description = "Output folder (default: runs/<command>).")
    Path out;

    /** The device named by {@code --device}, checked against what the engine sees. */
    Device device() {
        if (device == null) {
            return Engine.getInstance().defaultDevice();
        }
        return switch (device) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new IllegalArgumentException(
                            "--device gpu: the engine sees no GPU (build with -Pgpu on a CUDA machine; see README)");
                }
                yield Device.gpu();
            }
        };
    }

    /** {@code --out}, else {@code runs/<command>}. */
    Path out(String command) {
        return out != null ? out : Path.of("runs", command);
    }
}
