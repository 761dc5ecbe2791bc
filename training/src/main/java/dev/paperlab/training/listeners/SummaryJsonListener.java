package dev.paperlab.training.listeners;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code summary.json} when the run ends: seed, device, data source, steps, examples
 * consumed, wall time, training throughput, the last step's and evaluation's metrics, whatever the task or command put
 * into {@link RunState#summary()}, and {@code status} ({@code completed} or the failure message).
 */
public final class SummaryJsonListener implements RunListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public SummaryJsonListener(Path file) {
        this.file = file;
    }

    /** The summary of {@code state} as an ordered map (also used for the {@code RESULT} line). */
    public static Map<String, Object> summarize(RunState state) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.putAll(state.summary());
        map.put(
                "status",
                state.failure() == null
                        ? "completed"
                        : "stopped: " + state.failure().getMessage());
        map.put("steps", state.step());
        map.put("examples", state.examples());
        map.put("epochs", state.epoch() + 1);
        map.put("wall_seconds", round(state.wallSeconds()));
        map.put("train_seconds", round(state.trainSeconds()));
        map.put("samples_per_second", round(state.samplesPerSecond()));
        map.put("median_step_seconds", round(state.medianStepSeconds()));
        state.stepMetrics().forEach((k, v) -> map.put("train_" + k, round(v)));
        state.evalMetrics().forEach((k, v) -> map.putIfAbsent(k, round(v)));
        if (state.lastCheckpoint() != null) {
            map.put("checkpoint", state.lastCheckpoint().toString());
        }
        return map;
    }

    /** Writes {@code map} as pretty JSON to {@code file}. */
    public static void write(Path file, Map<String, Object> map) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), map);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** One-line JSON form. */
    public static String toJsonLine(Map<String, Object> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onRunEnd(RunState state) {
        write(file, summarize(state));
    }

    static double round(double v) {
        if (!Double.isFinite(v)) {
            return v;
        }
        return Math.round(v * 1e6) / 1e6;
    }
}
