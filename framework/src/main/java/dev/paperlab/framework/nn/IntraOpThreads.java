package dev.paperlab.framework.nn;

import com.sun.jna.NativeLibrary;
import java.io.IOException;

/**
 * The number of threads one libtorch operator may use ({@code at::set_num_threads}: OpenMP for
 * ATen's own kernels and MKL for matrix products), changeable while the process runs, which DJL
 * allows only once, when the engine starts ({@code ai.djl.pytorch.num_threads}).
 *
 * <p>Why a run would want fewer threads than cores: with {@code OMP_WAIT_POLICY=PASSIVE} an idle
 * OpenMP thread sleeps, and every parallel region must wake it again (tens of microseconds on a
 * VM). libtorch also turns MKL's own sizing off ({@code mkl_set_dynamic(false)}), so even a
 * (256, 128) x (128, 128) product is split over every thread. For a model whose operators are that
 * small, waking the second thread costs more than it saves: on 2 cores the 8-Gaussian GAN runs
 * about 1.5x faster on one thread (docs/benchmarks.md, "What one engine call costs"). Large operators still gain from
 * more threads, so the choice is per workload.
 */
public final class IntraOpThreads {
    private IntraOpThreads() {}

    /** The current count, or -1 when libtorch cannot be reached. */
    public static int current() {
        try {
            return Libtorch.cpu().getFunction("_ZN2at15get_num_threadsEv").invokeInt(new Object[0]);
        } catch (UnsatisfiedLinkError | IOException | IllegalStateException e) {
            return -1;
        }
    }

    /**
     * Sets the count for the operators that follow, in every thread.
     *
     * @param threads at least 1
     * @return whether libtorch took it
     */
    public static boolean set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads must be >= 1, got " + threads);
        }
        try {
            NativeLibrary torch = Libtorch.cpu();
            torch.getFunction("_ZN2at15set_num_threadsEi").invokeVoid(new Object[] {threads});
            return current() == threads;
        } catch (UnsatisfiedLinkError | IOException | IllegalStateException e) {
            return false;
        }
    }
}
