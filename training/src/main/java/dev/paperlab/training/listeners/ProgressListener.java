package dev.paperlab.training.listeners;

import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.io.PrintStream;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Console progress bar with ETA and a smoothed live view of each step metric. */
public final class ProgressListener implements RunListener {
    private static final double SMOOTHING = 0.9;
    private static final int WIDTH = 160;
    private final PrintStream out;
    private ProgressBar bar;
    private Map<String, Double> smoothed;

    /** A bar on the console (standard error), as wide as the terminal. */
    public ProgressListener() {
        this(null);
    }

    /** A bar rendered into {@code out}, {@value #WIDTH} characters wide (logs, tests). */
    public ProgressListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onRunBegin(RunState state) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(state.plannedSteps())
                .startsFrom(state.step(), java.time.Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .continuousUpdate();
        if (out != null) {
            builder.setConsumer(new ConsoleProgressBarConsumer(out, WIDTH));
        }
        bar = builder.build();
    }

    @Override
    public void onStep(RunState state) {
        if (bar == null) {
            return;
        }
        if (smoothed == null) {
            smoothed = new java.util.LinkedHashMap<>(state.stepMetrics());
        } else {
            state.stepMetrics()
                    .forEach((k, v) -> smoothed.merge(k, v, (old, x) -> SMOOTHING * old + (1 - SMOOTHING) * x));
        }
        bar.stepTo(state.step());
        StringBuilder sb = new StringBuilder();
        smoothed.forEach((k, v) ->
                sb.append(k).append('=').append(String.format("%.4g", v)).append(' '));
        bar.setExtraMessage(sb.toString().trim());
        if (state.step() >= state.plannedSteps()) {
            close(); // the final evaluation follows; the bar should not tick through it
        }
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onRunEnd(RunState state) {
        close();
    }
}
