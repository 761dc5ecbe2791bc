package dev.paperlab.models.tokenizer;

import java.util.Arrays;

/** A growable list of primitive ints, to collect token ids without boxing. */
final class IntList {
    private int[] data;
    private int size;

    IntList(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    void addAll(int[] values) {
        if (size + values.length > data.length) {
            data = Arrays.copyOf(data, Math.max(size * 2, size + values.length));
        }
        System.arraycopy(values, 0, data, size, values.length);
        size += values.length;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return data[i];
    }

    /** The values from {@code from} to the end, as a new array. */
    int[] tail(int from) {
        return Arrays.copyOfRange(data, from, size);
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
