package dev.paperlab.training.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A declarative sweep: a command, fixed options, a grid of axes and seeds. Every combination of
 * one value per axis, run once per seed, is a {@link Trial}. The JSON form:
 *
 * <pre>{@code
 * {
 *   "name": "scaling",
 *   "command": ["lm"],
 *   "options": {"--context": 64, "--no-progress": true},
 *   "grid": {
 *     "size": [{"--layers": 1, "--d-model": 32}, {"--layers": 2, "--d-model": 64}],
 *     "--steps": [100, 200]
 *   },
 *   "seeds": [1, 2],
 *   "metrics": ["val_loss"]
 * }
 * }</pre>
 *
 * An axis named like an option ({@code --steps}) takes plain values; any other axis takes bundles
 * of options that vary together (a model size is layers and width), each optionally with a {@code
 * "name"} that labels it in folders and tables (else its options do). An option set to {@code true}
 * is a flag; {@code false} leaves it out. {@code metrics} are the {@code summary.json} keys
 * collected into the results.
 *
 * @param name folder-friendly name of the sweep
 * @param command the command words before the options (e.g. {@code ["lm"]})
 * @param options options every trial gets
 * @param axes axis name to its values, each value an ordered option map
 * @param seeds seeds each grid point runs with ({@code --seed})
 * @param metrics summary keys to collect
 */
public record Sweep(
        String name,
        List<String> command,
        Map<String, String> options,
        Map<String, List<Map<String, String>>> axes,
        List<Long> seeds,
        List<String> metrics) {

    private static final Set<String> KEYS = Set.of("name", "command", "options", "grid", "seeds", "metrics");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The key of a bundle's label. */
    private static final String NAME = "name";

    public Sweep {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "sweep key 'name' must be letters, digits, '.', '_' or '-', got " + name);
        }
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("sweep key 'command' must name a command, got " + command);
        }
        if (seeds == null || seeds.isEmpty()) {
            throw new IllegalArgumentException("sweep key 'seeds' must list at least one seed, got " + seeds);
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("sweep key 'seeds' lists a seed twice: " + seeds);
        }
        for (Map.Entry<String, List<Map<String, String>>> axis : axes.entrySet()) {
            if (axis.getValue().isEmpty()) {
                throw new IllegalArgumentException(
                        "sweep key 'grid." + axis.getKey() + "' must list at least one value, got []");
            }
        }
        command = List.copyOf(command);
        options = new LinkedHashMap<>(options);
        axes = new LinkedHashMap<>(axes);
        seeds = List.copyOf(seeds);
        metrics = List.copyOf(metrics);
        Map<String, String> ids = new java.util.HashMap<>();
        for (Trial t : trials(options, axes, seeds, command)) {
            String before = ids.put(t.id(), t.point());
            if (before != null) {
                throw new IllegalArgumentException("sweep key 'grid': values '" + before + "' and '" + t.point()
                        + "' give the same folder name " + t.id() + "; name the bundles apart");
            }
        }
    }

    /** Reads a sweep file; a bad file gives one message naming the file and the key. */
    public static Sweep read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "sweep file " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sweep file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the JSON form (see the class comment). */
    public static Sweep parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a sweep must be a JSON object, got " + root);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown sweep key '" + key + "', expected some of " + new java.util.TreeSet<>(KEYS));
            }
        }
        String name = text(root, "name", true);
        List<String> command = new ArrayList<>();
        JsonNode c = root.get("command");
        if (c != null && c.isTextual()) {
            command.addAll(List.of(c.asText().trim().split("\\s+")));
        } else if (c != null && c.isArray()) {
            for (JsonNode word : c) {
                if (!word.isTextual()) {
                    throw new IllegalArgumentException("sweep key 'command' must hold strings, got " + word);
                }
                command.add(word.asText());
            }
        } else {
            throw new IllegalArgumentException("sweep key 'command' must be a string or a list of strings, got " + c);
        }
        Map<String, String> options = root.has("options") ? optionMap(root.get("options"), "options", false) : Map.of();
        Map<String, List<Map<String, String>>> axes = new LinkedHashMap<>();
        JsonNode grid = root.get("grid");
        if (grid != null) {
            if (!grid.isObject()) {
                throw new IllegalArgumentException("sweep key 'grid' must be an object of axes, got " + grid);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> axis = it.next();
                String key = "grid." + axis.getKey();
                if (!axis.getValue().isArray()) {
                    throw new IllegalArgumentException(
                            "sweep key '" + key + "' must be a list of values, got " + axis.getValue());
                }
                List<Map<String, String>> values = new ArrayList<>();
                for (JsonNode v : axis.getValue()) {
                    if (axis.getKey().startsWith("-")) {
                        values.add(Map.of(axis.getKey(), scalar(v, key)));
                    } else {
                        values.add(optionMap(v, key, true));
                    }
                }
                axes.put(axis.getKey(), values);
            }
        }
        List<Long> seeds = new ArrayList<>();
        JsonNode s = root.get("seeds");
        if (s == null || !s.isArray()) {
            throw new IllegalArgumentException("sweep key 'seeds' must be a list of integers, got " + s);
        }
        for (JsonNode seed : s) {
            if (!seed.isIntegralNumber()) {
                throw new IllegalArgumentException("sweep key 'seeds' must hold integers, got " + seed);
            }
            seeds.add(seed.asLong());
        }
        List<String> metrics = new ArrayList<>();
        JsonNode m = root.get("metrics");
        if (m != null) {
            if (!m.isArray()) {
                throw new IllegalArgumentException("sweep key 'metrics' must be a list of summary keys, got " + m);
            }
            m.forEach(k -> metrics.add(k.asText()));
        }
        return new Sweep(name, command, options, axes, seeds, metrics);
    }

    /** The JSON form ({@link #parse} reads it back to an equal sweep); values are written as strings. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var root = JSON.createObjectNode();
        root.put("name", name);
        command.forEach(root.putArray("command")::add);
        var opts = root.putObject("options");
        options.forEach(opts::put);
        var grid = root.putObject("grid");
        axes.forEach((axis, values) -> {
            var list = grid.putArray(axis);
            for (Map<String, String> v : values) {
                if (axis.startsWith("-")) {
                    list.add(v.get(axis));
                } else {
                    var bundle = list.addObject();
                    v.forEach(bundle::put);
                }
            }
        });
        seeds.forEach(root.putArray("seeds")::add);
        metrics.forEach(root.putArray("metrics")::add);
        return root;
    }

    /** Every grid point times every seed, in a fixed order (axes in file order, seeds innermost). */
    public List<Trial> trials() {
        return trials(options, axes, seeds, command);
    }

    private static List<Trial> trials(
            Map<String, String> options,
            Map<String, List<Map<String, String>>> axes,
            List<Long> seeds,
            List<String> command) {
        List<List<Map.Entry<String, Map<String, String>>>> points = new ArrayList<>();
        points.add(List.of());
        for (Map.Entry<String, List<Map<String, String>>> axis : axes.entrySet()) {
            List<List<Map.Entry<String, Map<String, String>>>> next = new ArrayList<>();
            for (List<Map.Entry<String, Map<String, String>>> p : points) {
                for (Map<String, String> value : axis.getValue()) {
                    List<Map.Entry<String, Map<String, String>>> q = new ArrayList<>(p);
                    q.add(Map.entry(axis.getKey(), value));
                    next.add(q);
                }
            }
            points = next;
        }
        List<Trial> trials = new ArrayList<>();
        for (List<Map.Entry<String, Map<String, String>>> p : points) {
            Map<String, String> labels = new LinkedHashMap<>();
            Map<String, String> opts = new LinkedHashMap<>(options);
            for (Map.Entry<String, Map<String, String>> e : p) {
                labels.put(axisLabel(e.getKey()), valueLabel(e.getValue()));
                e.getValue().forEach((k, v) -> {
                    if (!k.equals(NAME)) {
                        opts.put(k, v);
                    }
                });
            }
            for (long seed : seeds) {
                trials.add(new Trial(labels, seed, command, opts));
            }
        }
        return trials;
    }

    private static String axisLabel(String axis) {
        return axis.replaceFirst("^-+", "");
    }

    private static String valueLabel(Map<String, String> bundle) {
        if (bundle.containsKey(NAME)) {
            return bundle.get(NAME);
        }
        if (bundle.size() == 1) {
            return bundle.values().iterator().next();
        }
        StringBuilder b = new StringBuilder();
        bundle.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ")
                .append(axisLabel(k))
                .append('=')
                .append(v));
        return b.toString();
    }

    private static String text(JsonNode root, String key, boolean required) {
        JsonNode n = root.get(key);
        if (n == null && !required) {
            return null;
        }
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("sweep key '" + key + "' must be a string, got " + n);
        }
        return n.asText();
    }

    private static Map<String, String> optionMap(JsonNode node, String key, boolean named) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("sweep key '" + key + "' must be an object of options, got " + node);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().startsWith("-") && !(named && e.getKey().equals(NAME))) {
                throw new IllegalArgumentException("sweep key '" + key + "." + e.getKey()
                        + "' is not an option: option names start with '-' (e.g. --steps)");
            }
            map.put(e.getKey(), scalar(e.getValue(), key + "." + e.getKey()));
        }
        return map;
    }

    private static String scalar(JsonNode v, String key) {
        if (!v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException(
                    "sweep key '" + key + "' must hold strings, numbers or booleans, got " + v);
        }
        return v.asText();
    }
}
