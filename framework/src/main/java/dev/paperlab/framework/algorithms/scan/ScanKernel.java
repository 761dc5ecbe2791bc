package dev.paperlab.framework.algorithms.scan;

import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * The three per-type steps of a blocked scan. Block {@code b} covers {@code [lo, hi)}; totals are
 * combined left to right, so the operator need not be commutative.
 */
abstract class ScanKernel {
    /** Up-sweep: the reduction of block b (b >= 1) into totals[b]. */
    abstract void reduce(int b, int lo, int hi);

    /** Turns totals[1..B-2] into running totals: totals[b] = t_0 op ... op t_b. */
    abstract void accumulateTotals(int blocks);

    /** Down-sweep: scans block b in place, seeded with totals[b-1] (or nothing for b = 0). */
    abstract void scan(int b, int lo, int hi);

    static final class Longs extends ScanKernel {
        private final long[] a;
        private final long[] totals;
        private final LongBinaryOperator op;
        private final boolean exclusive;
        private final long identity;

        Longs(long[] a, int blocks, LongBinaryOperator op, boolean exclusive, long identity) {
            this.a = a;
            this.totals = new long[blocks];
            this.op = op;
            this.exclusive = exclusive;
            this.identity = identity;
        }

        @Override
        void reduce(int b, int lo, int hi) {
            long acc = a[lo];
            for (int i = lo + 1; i < hi; i++) {
                acc = op.applyAsLong(acc, a[i]);
            }
            totals[b] = acc;
        }

        @Override
        void accumulateTotals(int blocks) {
            for (int b = 1; b < blocks; b++) {
                totals[b] = op.applyAsLong(totals[b - 1], totals[b]);
            }
        }

        @Override
        void scan(int b, int lo, int hi) {
            if (exclusive) {
                long acc = b == 0 ? identity : totals[b - 1];
                for (int i = lo; i < hi; i++) {
                    long x = a[i];
                    a[i] = acc;
                    acc = op.applyAsLong(acc, x);
                }
            } else {
                long acc = b == 0 ? a[lo] : op.applyAsLong(totals[b - 1], a[lo]);
                a[lo] = acc;
                for (int i = lo + 1; i < hi; i++) {
                    acc = op.applyAsLong(acc, a[i]);
                    a[i] = acc;
                }
            }
        }
    }

    static final class Doubles extends ScanKernel {
        private final double[] a;
        private final double[] totals;
        private final DoubleBinaryOperator op;
        private final boolean exclusive;
        private final double identity;

        Doubles(double[] a, int blocks, DoubleBinaryOperator op, boolean exclusive, double identity) {
            this.a = a;
            this.totals = new double[blocks];
            this.op = op;
            this.exclusive = exclusive;
            this.identity = identity;
        }

        @Override
        void reduce(int b, int lo, int hi) {
            double acc = a[lo];
            for (int i = lo + 1; i < hi; i++) {
                acc = op.applyAsDouble(acc, a[i]);
            }
            totals[b] = acc;
        }

        @Override
        void accumulateTotals(int blocks) {
            for (int b = 1; b < blocks; b++) {
                totals[b] = op.applyAsDouble(totals[b - 1], totals[b]);
            }
        }

        @Override
        void scan(int b, int lo, int hi) {
            if (exclusive) {
                double acc = b == 0 ? identity : totals[b - 1];
                for (int i = lo; i < hi; i++) {
                    double x = a[i];
                    a[i] = acc;
                    acc = op.applyAsDouble(acc, x);
                }
            } else {
                double acc = b == 0 ? a[lo] : op.applyAsDouble(totals[b - 1], a[lo]);
                a[lo] = acc;
                for (int i = lo + 1; i < hi; i++) {
                    acc = op.applyAsDouble(acc, a[i]);
                    a[i] = acc;
                }
            }
        }
    }

    static final class Floats extends ScanKernel {
        private final float[] a;
        private final float[] totals;
        private final FloatBinaryOperator op;
        private final boolean exclusive;
        private final float identity;

        Floats(float[] a, int blocks, FloatBinaryOperator op, boolean exclusive, float identity) {
            this.a = a;
            this.totals = new float[blocks];
            this.op = op;
            this.exclusive = exclusive;
            this.identity = identity;
        }

        @Override
        void reduce(int b, int lo, int hi) {
            float acc = a[lo];
            for (int i = lo + 1; i < hi; i++) {
                acc = op.applyAsFloat(acc, a[i]);
            }
            totals[b] = acc;
        }

        @Override
        void accumulateTotals(int blocks) {
            for (int b = 1; b < blocks; b++) {
                totals[b] = op.applyAsFloat(totals[b - 1], totals[b]);
            }
        }

        @Override
        void scan(int b, int lo, int hi) {
            if (exclusive) {
                float acc = b == 0 ? identity : totals[b - 1];
                for (int i = lo; i < hi; i++) {
                    float x = a[i];
                    a[i] = acc;
                    acc = op.applyAsFloat(acc, x);
                }
            } else {
                float acc = b == 0 ? a[lo] : op.applyAsFloat(totals[b - 1], a[lo]);
                a[lo] = acc;
                for (int i = lo + 1; i < hi; i++) {
                    acc = op.applyAsFloat(acc, a[i]);
                    a[i] = acc;
                }
            }
        }
    }

    static final class Objects<T> extends ScanKernel {
        private final T[] a;
        private final Object[] totals;
        private final BinaryOperator<T> op;
        private final boolean exclusive;
        private final T identity;

        Objects(T[] a, int blocks, BinaryOperator<T> op, boolean exclusive, T identity) {
            this.a = a;
            this.totals = new Object[blocks];
            this.op = op;
            this.exclusive = exclusive;
            this.identity = identity;
        }

        @SuppressWarnings("unchecked") // totals only ever hold T values
        private T total(int b) {
            return (T) totals[b];
        }

        @Override
        void reduce(int b, int lo, int hi) {
            T acc = a[lo];
            for (int i = lo + 1; i < hi; i++) {
                acc = op.apply(acc, a[i]);
            }
            totals[b] = acc;
        }

        @Override
        void accumulateTotals(int blocks) {
            for (int b = 1; b < blocks; b++) {
                totals[b] = op.apply(total(b - 1), total(b));
            }
        }

        @Override
        void scan(int b, int lo, int hi) {
            if (exclusive) {
                T acc = b == 0 ? identity : total(b - 1);
                for (int i = lo; i < hi; i++) {
                    T x = a[i];
                    a[i] = acc;
                    acc = op.apply(acc, x);
                }
            } else {
                T acc = b == 0 ? a[lo] : op.apply(total(b - 1), a[lo]);
                a[lo] = acc;
                for (int i = lo + 1; i < hi; i++) {
                    acc = op.apply(acc, a[i]);
                    a[i] = acc;
                }
            }
        }
    }
}
