package dev.paperlab.training.listeners;

import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code metrics.csv}: one row per step ({@code split=train}) and per evaluation
 * ({@code split=eval}); columns {@code step,epoch,split}, then each metric in the order it first
 * appeared, empty where a row lacks it.
 *
 * <p>Rows are appended (buffered; flushed every {@value #FLUSH_EVERY} rows, at each evaluation
 * and at the end), so a long run costs time linear in its rows. A metric seen for the first time
 * (an evaluation metric, say) widens the header: the file is then rewritten once with the new
 * column, earlier rows getting an empty cell. A resumed run keeps every row up to the
 * checkpoint's step (evaluation rows of that step included) and drops those after it, which the
 * resumed run writes again.
 */
public final class MetricsCsvListener implements RunListener {
    private static final int FLUSH_EVERY = 100;
    private static final String FIXED = "step,epoch,split";
    private final Path file;
    private final Set<String> columns = new LinkedHashSet<>();
    private BufferedWriter writer;
    private long unflushed;

    public MetricsCsvListener(Path file) {
        this.file = file;
    }

    @Override
    public void onRunBegin(RunState state) {
        columns.clear();
        List<String> kept = new ArrayList<>();
        try {
            if (state.step() > 0 && Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && lines.get(0).startsWith(FIXED)) {
                    String[] header = lines.get(0).split(",", -1);
                    columns.addAll(Arrays.asList(header).subList(3, header.length));
                    for (String line : lines.subList(1, lines.size())) {
                        int comma = line.indexOf(',');
                        if (comma > 0 && Long.parseLong(line.substring(0, comma)) <= state.step()) {
                            kept.add(line);
                        }
                    }
                }
            }
            rewrite(kept);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read " + file + " to resume it: " + e.getMessage(), e);
        }
    }

    @Override
    public void onStep(RunState state) {
        add(state, "train", state.stepMetrics());
        if (unflushed >= FLUSH_EVERY) {
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
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            } finally {
                writer = null;
            }
        }
    }

    private void add(RunState state, String split, Map<String, Double> metrics) {
        try {
            if (writer == null) {
                // a listener used without onRunBegin: start a fresh file
                rewrite(List.of());
            }
            if (!columns.containsAll(metrics.keySet())) {
                writer.close();
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                int before = columns.size();
                columns.addAll(metrics.keySet());
                String padding = ",".repeat(columns.size() - before);
                List<String> rows = new ArrayList<>();
                for (String line : lines.subList(1, lines.size())) {
                    rows.add(line + padding);
                }
                rewrite(rows);
            }
            StringBuilder sb = new StringBuilder();
            sb.append(state.step())
                    .append(',')
                    .append(state.epoch())
                    .append(',')
                    .append(split);
            for (String c : columns) {
                Double v = metrics.get(c);
                sb.append(',');
                if (v != null) {
                    sb.append(v.floatValue());
                }
            }
            writer.write(sb.append('\n').toString());
            unflushed++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes header and {@code rows} as the whole file and leaves it open for appending. */
    private void rewrite(List<String> rows) throws IOException {
        if (writer != null) {
            writer.close();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder sb = new StringBuilder(FIXED);
        for (String c : columns) {
            sb.append(',').append(c);
        }
        sb.append('\n');
        for (String row : rows) {
            sb.append(row).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        unflushed = 0;
    }

    private void flush() {
        try {
            if (writer != null) {
                writer.flush();
            }
            unflushed = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
