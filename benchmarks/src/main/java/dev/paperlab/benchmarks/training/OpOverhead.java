package dev.paperlab.benchmarks.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dev.paperlab.benchmarks.attention.Timing;
import dev.paperlab.training.Gradients;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cost of one engine call from Java: the same small operations as {@code
 * benchmarks/scripts/op_overhead_torch.py} issues from Python, timed the same way (warm-up, calls
 * per repetition calibrated to about 0.6 s, repetitions round-robin over the cases, median
 * microseconds per call). A 1-element add is almost pure overhead (the JNI crossing, the result's
 * Java object and its registration with the manager, libtorch's dispatch, closing the result); a
 * (256, 128) add and a (256, 128) x (128, 128) linear layer are the sizes of the ring GAN's
 * players, where the kernel starts to count. Every result is closed right after the call, as a
 * step's scope does at its end.
 *
 * <p>Usage: {@code OpOverhead [repetitions=7]}; prints one {@code case median min max} line per
 * case, then {@code RESULT} with the medians as JSON.
 */
public final class OpOverhead {
    private OpOverhead() {}

    /** {@code relu(x W^T + b).mean()}, the one-layer forward pass both languages time. */
    private static NDArray reluLinearMean(NDArray x, NDArray w, NDArray b) {
        return Activation.relu(Linear.linear(x, w, b).head()).mean();
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        if (reps < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, got " + reps);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            NDArray one = m.randomNormal(new Shape(1));
            NDArray a = m.randomNormal(new Shape(256, 128));
            NDArray b = m.randomNormal(new Shape(256, 128));
            NDArray acc = m.zeros(new Shape(256, 128));
            NDArray w = m.randomNormal(new Shape(128, 128));
            NDArray bias = m.zeros(new Shape(128));
            NDArray p = m.randomNormal(new Shape(128, 128));
            p.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.sum()); // p now has a gradient
            }
            NDArray x = m.randomNormal(new Shape(256, 128));
            List<Timing.Task> tasks = new ArrayList<>();
            tasks.add(new Timing.Task("add 1", () -> one.add(one).close(), reps));
            tasks.add(new Timing.Task("add 256x128", () -> a.add(b).close(), reps));
            tasks.add(new Timing.Task("addi 256x128 (in place)", () -> acc.addi(b), reps));
            tasks.add(new Timing.Task(
                    "linear 256x128 @ 128x128", () -> Linear.linear(a, w, bias).close(), reps));
            tasks.add(new Timing.Task(
                    "gradient handle (getGradient + close)",
                    () -> p.getGradient().close(),
                    reps));
            tasks.add(new Timing.Task(
                    "zero a gradient (Gradients.zero)",
                    () -> {
                        try (NDArray g = p.getGradient()) {
                            Gradients.zero(g);
                        }
                    },
                    reps));
            tasks.add(new Timing.Task(
                    "matmul 256x128^T @ 256x128", () -> a.transpose().matMul(b).close(), reps));
            tasks.add(new Timing.Task(
                    "fwd relu(linear).mean, recording",
                    () -> {
                        try (NDScope scope = new NDScope();
                                GradientCollector c = Engine.getInstance().newGradientCollector()) {
                            scope.suppressNotUsedWarning();
                            reluLinearMean(x, p, bias);
                        }
                    },
                    reps));
            tasks.add(new Timing.Task(
                    "fwd+bwd relu(linear).mean",
                    () -> {
                        try (NDScope scope = new NDScope();
                                GradientCollector c = Engine.getInstance().newGradientCollector()) {
                            scope.suppressNotUsedWarning();
                            c.backward(reluLinearMean(x, p, bias));
                        }
                    },
                    reps));
            Timing.runRoundRobin(tasks, 200);
            Engine engine = Engine.getInstance();
            System.out.printf("engine %s %s%n", engine.getEngineName(), engine.getVersion());
            StringBuilder json = new StringBuilder("{");
            for (Timing.Task t : tasks) {
                System.out.printf(
                        Locale.ROOT,
                        "%-40s %8.2f us  (min %.2f, max %.2f)%n",
                        t.name,
                        t.median() * 1e3,
                        t.min() * 1e3,
                        t.max() * 1e3);
                json.append(String.format(
                        Locale.ROOT, "%s\"%s\":%.3f", json.length() > 1 ? "," : "", t.name, t.median() * 1e3));
            }
            System.out.println("RESULT " + json.append('}'));
        }
    }
}
