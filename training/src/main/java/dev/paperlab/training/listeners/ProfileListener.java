package dev.paperlab.training.listeners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the last {@code K} training steps of a run with libtorch's operator profiler (the
 * autograd profiler behind {@code torch.autograd.profiler}, through DJL's {@code
 * JniUtils.startProfile}/{@code stopProfile}) and writes, next to {@code summary.json}:
 *
 * <ul>
 *   <li>{@code profile.json}: the Chrome trace (open it in {@code chrome://tracing} or Perfetto);
 *   <li>{@code profile_ops.csv}: per operator, its calls and <em>self</em> time (its own time less
 *       that of the operators it called, so that the times add up to the profiled time) per step,
 *       largest first, and its share of the total.
 * </ul>
 *
 * <p>The first steps of a run are left out on purpose: they pay for warm-up (first allocations,
 * kernel selection, the JIT) that later steps do not. Only operators are recorded, not the Java
 * between them, so the time a step takes outside the profile's total is the harness's and the
 * task's own work (compare with {@code seconds_per_step} in {@code summary.json}). Needs the
 * PyTorch engine; with another, the run goes on and the listener says so once.
 */
public final class ProfileListener implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileListener.class);

    private final int steps;
    private boolean active;
    private long firstProfiled;

    /** Profiles the last {@code steps} steps of a run; {@code steps >= 1}. */
    public ProfileListener(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("profiled steps must be >= 1, got " + steps);
        }
        this.steps = steps;
    }

    @Override
    public void onRunBegin(RunState state) {
        long left = state.plannedSteps() - state.step();
        if (left <= steps) {
            throw new IllegalArgumentException("--profile-steps " + steps + " must be below the steps this run takes ("
                    + left + "): the first step is never profiled");
        }
        maybeStart(state);
    }

    @Override
    public void onStep(RunState state) {
        if (active && state.step() >= state.plannedSteps()) {
            stop(state, state.step() - firstProfiled);
        } else {
            maybeStart(state);
        }
    }

    @Override
    public void onRunEnd(RunState state) {
        if (active) { // a run that ended early: keep what was recorded
            stop(state, state.step() - firstProfiled);
        }
    }

    private void maybeStart(RunState state) {
        if (!active && state.step() == state.plannedSteps() - steps) {
            if (invoke(
                    "startProfile",
                    new Class<?>[] {boolean.class, boolean.class, boolean.class},
                    false,
                    false,
                    false)) {
                active = true;
                firstProfiled = state.step();
            }
        }
    }

    private void stop(RunState state, long profiled) {
        active = false;
        Path trace = state.outDir().resolve("profile.json");
        if (!invoke(
                        "stopProfile",
                        new Class<?>[] {String.class},
                        trace.toAbsolutePath().toString())
                || profiled == 0) { // no step completed under the profiler: the trace alone
            return;
        }
        try {
            List<OpTime> ops = selfTimes(trace);
            double total = ops.stream().mapToDouble(OpTime::micros).sum();
            StringBuilder csv = new StringBuilder("op,calls_per_step,self_ms_per_step,share\n");
            for (OpTime op : ops) {
                csv.append(String.format(
                        Locale.ROOT,
                        "\"%s\",%.1f,%.4f,%.4f%n",
                        op.name().replace("\"", "\"\""),
                        (double) op.calls() / profiled,
                        op.micros() / 1e3 / profiled,
                        total > 0 ? op.micros() / total : 0));
            }
            Files.writeString(state.outDir().resolve("profile_ops.csv"), csv, StandardCharsets.UTF_8);
            state.summary().put("profiled_steps", profiled);
            state.summary().put("profiled_op_ms_per_step", total / 1e3 / profiled);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the profile " + trace, e);
        }
    }

    /** One operator's calls and self time, summed over the trace. */
    public record OpTime(String name, long calls, double micros) {}

    /**
     * Self time per operator name from a Chrome trace's complete events ({@code "ph": "X"}): on each
     * thread, events are nested by their intervals and each one's children's durations are
     * subtracted from its own. Largest first.
     */
    public static List<OpTime> selfTimes(Path chromeTrace) throws IOException {
        JsonNode root = new ObjectMapper().readTree(chromeTrace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<double[]>> byThread = new HashMap<>(); // thread -> {start, duration, name index}
        List<String> names = new ArrayList<>();
        Map<String, Integer> nameIndex = new HashMap<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText())) {
                continue;
            }
            String name = e.path("name").asText();
            int id = nameIndex.computeIfAbsent(name, n -> {
                names.add(n);
                return names.size() - 1;
            });
            String thread = e.path("pid").asText() + "/" + e.path("tid").asText();
            byThread.computeIfAbsent(thread, t -> new ArrayList<>())
                    .add(new double[] {e.path("ts").asDouble(), e.path("dur").asDouble(), id});
        }
        double[] self = new double[names.size()];
        long[] calls = new long[names.size()];
        for (List<double[]> list : byThread.values()) {
            // parents first: earlier start, and at equal starts the longer event
            list.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(b[1], a[1]));
            Deque<double[]> open = new ArrayDeque<>();
            for (double[] ev : list) {
                while (!open.isEmpty() && open.peek()[0] + open.peek()[1] <= ev[0]) {
                    open.pop();
                }
                int id = (int) ev[2];
                self[id] += ev[1];
                calls[id]++;
                if (!open.isEmpty()) {
                    self[(int) open.peek()[2]] -= ev[1];
                }
                open.push(ev);
            }
        }
        List<OpTime> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new OpTime(names.get(i), calls[i], Math.max(0, self[i])));
        }
        out.sort((a, b) -> Double.compare(b.micros(), a.micros()));
        return out;
    }

    private static boolean invoke(String method, Class<?>[] types, Object... args) {
        try {
            Method m = Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod(method, types);
            m.invoke(null, args);
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            LOG.warn(
                    "no operator profile: the PyTorch engine's JniUtils.{} is not available ({})",
                    method,
                    e.toString());
            return false;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("libtorch's profiler failed in " + method, e.getCause());
        }
    }
}
