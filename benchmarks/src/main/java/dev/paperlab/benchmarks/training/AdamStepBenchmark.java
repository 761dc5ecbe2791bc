package dev.paperlab.benchmarks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.training.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Adam step over every parameter of a model: one {@code update} call per parameter against
 * one multi-tensor {@code updateAll} call (same result, bit for bit). {@code vae} is the MLP
 * 784-400-20 (10 parameters, 0.65M weights); {@code lm} is the char LM's layout (4 layers, d 128,
 * 65 symbols: 53 parameters, 0.8M weights), where the per-parameter cost dominates. The update
 * zeroes the gradients; they are restored before every call, outside the timing, because on zero
 * gradients the moments decay into denormal floats within a thousand steps, whose arithmetic is
 * many times slower on x86 and would be measured instead of the optimizer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true"})
public class AdamStepBenchmark {
    @Param({"vae", "lm"})
    public String model;

    private NDManager manager;
    private final List<String> ids = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> grads = new ArrayList<>();
    private final List<NDArray> sources = new ArrayList<>();
    private Adam perParameter;
    private Adam multiTensor;

    @Setup
    public void setUp() {
        manager = NDManager.newBaseManager();
        for (long[] shape : "vae".equals(model) ? vaeShapes() : lmShapes()) {
            ids.add("p" + ids.size());
            weights.add(manager.randomNormal(new Shape(shape)));
            NDArray source = manager.randomNormal(new Shape(shape));
            sources.add(source);
            grads.add(source.duplicate());
        }
        perParameter = Adam.builder().build();
        multiTensor = Adam.builder().build();
    }

    /** The update zeroed the gradients: refill them (zero + source). */
    @Setup(Level.Invocation)
    public void restoreGradients() {
        for (int i = 0; i < grads.size(); i++) {
            grads.get(i).addi(sources.get(i));
        }
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }

    private static List<long[]> vaeShapes() {
        int[][] layers = {{784, 400}, {400, 20}, {400, 20}, {20, 400}, {400, 784}}; // fc1, mu, logvar, fc3, fc4
        List<long[]> shapes = new ArrayList<>();
        for (int[] l : layers) {
            shapes.add(new long[] {l[1], l[0]});
            shapes.add(new long[] {l[1]});
        }
        return shapes;
    }

    private static List<long[]> lmShapes() {
        int d = 128;
        List<long[]> shapes = new ArrayList<>();
        shapes.add(new long[] {65, d}); // token embedding
        for (int layer = 0; layer < 4; layer++) {
            long[][] block = {{d}, {d}, {3 * d, d}, {3 * d}, {d, d}, {d}, {d}, {d}, {4 * d, d}, {4 * d}, {d, 4 * d}, {d}
            };
            shapes.addAll(List.of(block)); // ln1, qkv, proj, ln2, fc, fc2
        }
        shapes.add(new long[] {d});
        shapes.add(new long[] {d}); // final norm
        shapes.add(new long[] {65, d});
        shapes.add(new long[] {65}); // head
        return shapes;
    }

    @Benchmark
    public void perParameter() {
        for (int i = 0; i < ids.size(); i++) {
            perParameter.update(ids.get(i), weights.get(i), grads.get(i));
        }
    }

    @Benchmark
    public void multiTensor() {
        multiTensor.updateAll(ids, weights, grads);
    }
}
