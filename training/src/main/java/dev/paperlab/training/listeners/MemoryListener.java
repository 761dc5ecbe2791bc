package dev.paperlab.training.listeners;

import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the process's resident memory every {@code every} steps, the first and the last, into
 * {@code memory.csv} ({@code step,rss_mb,heap_mb}), and puts into the summary {@code rss_mb_peak},
 * {@code rss_mb_final}, {@code rss_mb_warm} (at the warm-up reference step: 1,000, or half the run
 * when it is shorter, on the sampling grid) and {@code rss_growth} ({@code final / warm - 1}).
 *
 * <p>Why resident memory: NDArrays live in native memory that the JVM's heap figures do not see,
 * so an array a step forgets to close shows first as RSS that grows with the step count. After
 * warm-up (first allocations, the JIT, the allocator's pools) a run without leaks stays flat:
 * {@code rss_growth} near 0. RSS is {@code VmRSS} of {@code /proc/self/status} (Linux); elsewhere the
 * listener records nothing and says so once. Only this process's steps count towards the summary,
 * so a resumed run measures its own growth; its rows continue the file, rows past the checkpoint
 * dropped.
 */
public final class MemoryListener implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryListener.class);
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final long WARM_STEP = 1000;
    private static final String HEADER = "step,rss_mb,heap_mb";

    private final Path file;
    private final long every;
    private boolean available = true;
    private long warmStep;
    private double warm = Double.NaN;
    private double peak;

    /** Samples every {@code every} steps ({@code >= 1}) into {@code file}. */
    public MemoryListener(Path file, long every) {
        if (every < 1) {
            throw new IllegalArgumentException("memory sampling interval must be >= 1 step, got " + every);
        }
        this.file = file;
        this.every = every;
    }

    @Override
    public void onRunBegin(RunState state) {
        warm = Double.NaN;
        peak = 0;
        long half = Math.max(1, state.plannedSteps() / 2);
        warmStep = Math.max(every, Math.min(WARM_STEP, half) / every * every);
        try {
            List<String> rows = new ArrayList<>();
            if (state.step() > 0 && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int comma = line.indexOf(',');
                    if (!line.startsWith(HEADER)
                            && comma > 0
                            && Long.parseLong(line.substring(0, comma)) <= state.step()) {
                        rows.add(line);
                    }
                }
            }
            rows.add(0, HEADER);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, rows, StandardCharsets.UTF_8);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot prepare " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onStep(RunState state) {
        long step = state.step();
        boolean last = step >= state.plannedSteps();
        if (!available || !(step == 1 || step % every == 0 || last)) {
            return;
        }
        double rss = residentMegabytes();
        if (Double.isNaN(rss)) {
            available = false;
            LOG.info("resident memory is not readable here ({} missing); memory.csv stays empty", STATUS);
            return;
        }
        Runtime rt = Runtime.getRuntime();
        double heap = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
        try {
            Files.writeString(
                    file,
                    String.format(Locale.ROOT, "%d,%.1f,%.1f%n", step, rss, heap),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        peak = Math.max(peak, rss);
        if (step == warmStep) {
            warm = rss;
        }
        state.summary().put("rss_mb_peak", round(peak));
        state.summary().put("rss_mb_final", round(rss));
        if (!Double.isNaN(warm)) {
            state.summary().put("rss_mb_warm", round(warm));
            state.summary().put("rss_growth", Math.round((rss / warm - 1) * 1e4) / 1e4);
        }
    }

    /** This process's resident set in MiB, or NaN where {@code /proc/self/status} has none. */
    static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) { // "VmRSS:   123456 kB"
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
