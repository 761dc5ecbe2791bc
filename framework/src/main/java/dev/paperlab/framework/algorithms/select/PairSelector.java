package dev.paperlab.framework.algorithms.select;

/**
 * Keeps the {@code k} best {@code (key, index)} pairs of a stream in a buffer of {@code 2k}.
 *
 * <p>A pair is better when its key is larger, or the keys are equal and its index is lower;
 * all pairs are distinct, so the order is total and the result unique. When the buffer is full,
 * introselect moves the {@code k} best to its front and the rest are dropped; the k-th best key
 * becomes the threshold that later pairs (which have larger indices) must beat. Each trim costs
 * {@code O(k)} and happens at most once per {@code k} accepted pairs, so a stream of {@code n}
 * costs {@code O(n)} expected, {@code O(n log k)} at worst (the depth-limited fallback).
 */
final class PairSelector {
    private static final int INSERTION_SORT_MAX = 16;

    private final int k;
    private final int capacity;
    private final long[] keys;
    private final int[] indices;
    private int size;
    /** Pairs with key <= threshold cannot enter; Long.MIN_VALUE, never a key, admits all. */
    long threshold = Long.MIN_VALUE;

    PairSelector(int n, int k) {
        this.k = k;
        this.capacity = (int) Math.min(n, 2L * k);
        this.keys = new long[capacity];
        this.indices = new int[capacity];
    }

    /** Adds a pair that beats the threshold; indices must arrive in increasing order. */
    void add(long key, int index) {
        keys[size] = key;
        indices[size] = index;
        if (++size == capacity) {
            select(0, size - 1, k - 1);
            size = k;
            threshold = keys[k - 1];
        }
    }

    /** The indices of the {@code k} best pairs, best first. */
    int[] finish() {
        if (size > k) {
            select(0, size - 1, k - 1);
        }
        int m = Math.min(size, k);
        sort(0, m - 1, depthLimit(m));
        int[] out = new int[m];
        System.arraycopy(indices, 0, out, 0, m);
        return out;
    }

    /** Rearranges [lo, hi] so that position r holds the pair of rank r and better ones precede it. */
    private void select(int lo, int hi, int r) {
        int depth = depthLimit(hi - lo + 1);
        while (hi - lo >= INSERTION_SORT_MAX) {
            if (depth-- == 0) {
                heapSort(lo, hi);
                return;
            }
            int p = partition(lo, hi);
            if (p == r) {
                return;
            } else if (r < p) {
                hi = p - 1;
            } else {
                lo = p + 1;
            }
        }
        insertionSort(lo, hi);
    }

    /** Introsort of [lo, hi], best first. */
    private void sort(int lo, int hi, int depth) {
        while (hi - lo >= INSERTION_SORT_MAX) {
            if (depth-- == 0) {
                heapSort(lo, hi);
                return;
            }
            int p = partition(lo, hi);
            // Recurse into the smaller side so the stack stays O(log n).
            if (p - lo < hi - p) {
                sort(lo, p - 1, depth);
                lo = p + 1;
            } else {
                sort(p + 1, hi, depth);
                hi = p - 1;
            }
        }
        insertionSort(lo, hi);
    }

    /** Lomuto partition around the median of three; returns the pivot's final position. */
    private int partition(int lo, int hi) {
        int mid = (lo + hi) >>> 1;
        if (better(mid, lo)) {
            swap(mid, lo);
        }
        if (better(hi, lo)) {
            swap(hi, lo);
        }
        if (better(hi, mid)) {
            swap(hi, mid);
        }
        // Now lo >= mid >= hi in goodness: the median sits at mid; park it at hi.
        swap(mid, hi);
        long pk = keys[hi];
        int pi = indices[hi];
        int store = lo;
        for (int j = lo; j < hi; j++) {
            if (keys[j] > pk || (keys[j] == pk && indices[j] < pi)) {
                swap(store++, j);
            }
        }
        swap(store, hi);
        return store;
    }

    private void insertionSort(int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            long key = keys[i];
            int index = indices[i];
            int j = i - 1;
            while (j >= lo && (keys[j] < key || (keys[j] == key && indices[j] > index))) {
                keys[j + 1] = keys[j];
                indices[j + 1] = indices[j];
                j--;
            }
            keys[j + 1] = key;
            indices[j + 1] = index;
        }
    }

    /** Heapsort of [lo, hi], best first: a heap whose root is the worst pair. */
    private void heapSort(int lo, int hi) {
        int n = hi - lo + 1;
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(lo, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            swap(lo, lo + end);
            siftDown(lo, 0, end);
        }
    }

    private void siftDown(int base, int i, int n) {
        while (true) {
            int worst = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < n && better(base + worst, base + left)) {
                worst = left;
            }
            if (right < n && better(base + worst, base + right)) {
                worst = right;
            }
            if (worst == i) {
                return;
            }
            swap(base + i, base + worst);
            i = worst;
        }
    }

    private boolean better(int a, int b) {
        return keys[a] > keys[b] || (keys[a] == keys[b] && indices[a] < indices[b]);
    }

    private void swap(int a, int b) {
        long tk = keys[a];
        keys[a] = keys[b];
        keys[b] = tk;
        int ti = indices[a];
        indices[a] = indices[b];
        indices[b] = ti;
    }

    private static int depthLimit(int n) {
        return 2 * (32 - Integer.numberOfLeadingZeros(Math.max(n, 1)));
    }
}
