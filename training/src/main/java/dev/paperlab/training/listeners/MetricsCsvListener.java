package dev.paperlab.training.listeners;

import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code metrics.csv}: one row per step ({@code split=train}) and per evaluation
 * ({@code split=eval}), columns {@code step,epoch,split} then every metric ever logged. Columns
 * appear as metrics first appear, so the file is rewritten whole at each evaluation and at the end
 * (and every {@value #FLUSH_EVERY} steps), never left without a header.
 */
public final class MetricsCsvListener implements RunListener {
    private static final int FLUSH_EVERY = 500;
    private final Path file;
    private final Set<String> columns = new LinkedHashSet<>();
    private final List<Row> rows = new ArrayList<>();

    private record Row(long step, int epoch, String split, Map<String, Double> values) {}

    public MetricsCsvListener(Path file) {
        this.file = file;
    }

    @Override
    public void onStep(RunState state) {
        add(state, "train", state.stepMetrics());
        if (rows.size() % FLUSH_EVERY == 0) {
            flush();
        }
    }

    @Override
    public void onEvaluation(RunState state) {
        add(state, "eval", state.evalMetrics());
        flush();
    }

    @Override
    public void onRunEnd(RunState state) {
        flush();
    }

    private void add(RunState state, String split, Map<String, Double> metrics) {
        columns.addAll(metrics.keySet());
        rows.add(new Row(state.step(), state.epoch(), split, new LinkedHashMap<>(metrics)));
    }

    private void flush() {
        StringBuilder sb = new StringBuilder("step,epoch,split");
        for (String c : columns) {
            sb.append(',').append(c);
        }
        sb.append('\n');
        for (Row row : rows) {
            sb.append(row.step).append(',').append(row.epoch).append(',').append(row.split);
            for (String c : columns) {
                Double v = row.values.get(c);
                sb.append(',');
                if (v != null) {
                    sb.append(v.floatValue());
                }
            }
            sb.append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
