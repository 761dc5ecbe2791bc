package dev.paperlab.training.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a sweep: a grid point (its axis labels) with one seed.
 *
 * @param labels axis name to the value's label, e.g. {@code {steps=100, size=layers=1 d-model=32}}
 * @param seed the run's {@code --seed}
 * @param command command words
 * @param options every option of the run except {@code --seed} and {@code --out}
 */
public record Trial(Map<String, String> labels, long seed, List<String> command, Map<String, String> options) {

    public Trial {
        labels = new LinkedHashMap<>(labels);
        command = List.copyOf(command);
        options = new LinkedHashMap<>(options);
    }

    /** The grid point without the seed, e.g. {@code size=layers=1 d-model=32, steps=100}; groups seeds. */
    public String point() {
        StringBuilder b = new StringBuilder();
        labels.forEach((k, v) ->
                b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return b.length() == 0 ? "all" : b.toString();
    }

    /** Folder name, unique within a sweep and stable across runs (resume finds it again). */
    public String id() {
        StringBuilder b = new StringBuilder();
        labels.forEach((k, v) -> b.append(k).append('-').append(v).append("__"));
        b.append("seed-").append(seed);
        return b.toString().replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** Command words and options; {@code true} values become flags, {@code false} ones are left out. */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(command);
        options.forEach((k, v) -> {
            if ("true".equals(v)) {
                args.add(k);
            } else if (!"false".equals(v)) {
                args.add(k);
                args.add(v);
            }
        });
        args.add("--seed");
        args.add(Long.toString(seed));
        return args;
    }
}
