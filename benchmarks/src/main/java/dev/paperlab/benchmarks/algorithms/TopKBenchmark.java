package dev.paperlab.benchmarks.algorithms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.common.collect.Ordering;
import dev.paperlab.framework.algorithms.select.TopK;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The k largest of 10^6 Gaussian floats. TopK returns values and indices, sorted; the peers get
 * their easiest form: a full sort returns values only, Guava works on a pre-boxed list, DJL on
 * an NDArray made before timing (its values and indices are copied back to Java arrays).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx2g"})
public class TopKBenchmark {
    private static final int N = 1_000_000;

    @Param({"10", "1000"})
    int k;

    private float[] data;
    private List<Float> boxed;
    private NDManager manager;
    private NDArray array;

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        data = new float[N];
        boxed = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            data[i] = (float) rnd.nextGaussian();
            boxed.add(data[i]);
        }
        manager = NDManager.newBaseManager();
        array = manager.create(data);
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public TopK.FloatResult paperlabTopK() {
        return TopK.largest(data, k);
    }

    @Benchmark
    public float[] fullSort() {
        float[] sorted = data.clone();
        Arrays.sort(sorted);
        float[] out = new float[k];
        for (int j = 0; j < k; j++) {
            out[j] = sorted[N - 1 - j];
        }
        return out;
    }

    @Benchmark
    public List<Float> guavaGreatestOf() {
        return Ordering.<Float>natural().greatestOf(boxed, k);
    }

    @Benchmark
    public void djlTopK(Blackhole bh) {
        // Results attach to the input's manager: close them here so memory stays flat.
        try (NDList top = array.topK(k, 0, true, true)) {
            bh.consume(top.get(0).toFloatArray());
            bh.consume(top.get(1).toLongArray());
        }
    }
}
