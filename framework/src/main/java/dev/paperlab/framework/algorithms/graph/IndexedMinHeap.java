package dev.paperlab.framework.algorithms.graph;

import java.util.Arrays;

/**
 * A binary min-heap over the integer ids {@code 0..capacity-1} with a real {@link #decreaseKey}:
 * a position array maps each id to its slot, so a key is lowered in place and sifted up in
 * O(log n) instead of pushing a lazy duplicate.
 *
 * <p>Entries are ordered by their key, and equal keys by a secondary tie key (smaller first).
 * A* passes {@code -g} as the tie key so that, among equal {@code f}, the node nearest the goal
 * is expanded first; Dijkstra leaves it at zero.
 */
public final class IndexedMinHeap {
    private static final int ABSENT = -1;

    private final int[] heap; // slot -> id
    private final int[] pos; // id -> slot, or ABSENT
    private final double[] key;
    private final double[] tie;
    private int size;

    /** Creates an empty heap for the ids {@code 0..capacity-1}. */
    public IndexedMinHeap(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("heap capacity must be >= 0, got " + capacity);
        }
        heap = new int[capacity];
        pos = new int[capacity];
        key = new double[capacity];
        tie = new double[capacity];
        Arrays.fill(pos, ABSENT);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(int id) {
        return pos[id] != ABSENT;
    }

    /** The current key of a queued id. */
    public double key(int id) {
        checkQueued(id);
        return key[id];
    }

    /** Inserts {@code id} with the given key and a zero tie key. */
    public void insert(int id, double k) {
        insert(id, k, 0.0);
    }

    /** Inserts {@code id}, which must not be queued. */
    public void insert(int id, double k, double tieKey) {
        if (pos[id] != ABSENT) {
            throw new IllegalArgumentException("id " + id + " is already in the heap");
        }
        key[id] = k;
        tie[id] = tieKey;
        heap[size] = id;
        pos[id] = size;
        siftUp(size++);
    }

    /** Lowers the key of a queued id; a key larger than the current one is an error. */
    public void decreaseKey(int id, double k) {
        decreaseKey(id, k, 0.0);
    }

    /** Lowers the key (and sets the tie key) of a queued id. */
    public void decreaseKey(int id, double k, double tieKey) {
        checkQueued(id);
        if (k > key[id]) {
            throw new IllegalArgumentException(
                    "decreaseKey of id " + id + " to " + k + " would raise its key " + key[id]);
        }
        key[id] = k;
        tie[id] = tieKey;
        siftUp(pos[id]);
    }

    /** The id with the smallest key, without removing it. */
    public int peek() {
        if (size == 0) {
            throw new IllegalStateException("heap is empty");
        }
        return heap[0];
    }

    /** Removes and returns the id with the smallest key. */
    public int poll() {
        int top = peek();
        int last = heap[--size];
        pos[top] = ABSENT;
        if (size > 0) {
            heap[0] = last;
            pos[last] = 0;
            siftDown(0);
        }
        return top;
    }

    private void checkQueued(int id) {
        if (pos[id] == ABSENT) {
            throw new IllegalArgumentException("id " + id + " is not in the heap");
        }
    }

    private boolean less(int a, int b) {
        double ka = key[a];
        double kb = key[b];
        return ka < kb || (ka == kb && tie[a] < tie[b]);
    }

    private void siftUp(int slot) {
        int id = heap[slot];
        while (slot > 0) {
            int parentSlot = (slot - 1) >>> 1;
            int parent = heap[parentSlot];
            if (!less(id, parent)) {
                break;
            }
            heap[slot] = parent;
            pos[parent] = slot;
            slot = parentSlot;
        }
        heap[slot] = id;
        pos[id] = slot;
    }

    private void siftDown(int slot) {
        int id = heap[slot];
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], id)) {
                break;
            }
            heap[slot] = heap[child];
            pos[heap[slot]] = slot;
            slot = child;
        }
        heap[slot] = id;
        pos[id] = slot;
    }
}
