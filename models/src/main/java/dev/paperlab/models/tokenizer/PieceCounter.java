package dev.paperlab.models.tokenizer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts substrings of a text by their character range, with open addressing (linear probing): a
 * piece seen before costs a hash and a region compare, and a string is allocated only for a new
 * piece. Pre-tokenizing a corpus yields tens of millions of pieces but only thousands to millions
 * of distinct ones, so {@code map.merge(text.substring(s, e), 1L, Long::sum)} spent most of its
 * time allocating substrings and boxed counts.
 */
final class PieceCounter {
    private String[] keys = new String[1 << 10];
    private int[] hashes = new int[1 << 10];
    private long[] counts = new long[1 << 10];
    private int[] order = new int[1 << 9]; // slots in order of first appearance
    private int size;

    /** Counts {@code text[start, end)} once more. */
    void add(String text, int start, int end) {
        int len = end - start;
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        int mask = keys.length - 1;
        int slot = mix(h) & mask;
        for (String k; (k = keys[slot]) != null; slot = (slot + 1) & mask) {
            if (hashes[slot] == h && k.length() == len && text.regionMatches(start, k, 0, len)) {
                counts[slot]++;
                return;
            }
        }
        keys[slot] = text.substring(start, end);
        hashes[slot] = h;
        counts[slot] = 1;
        if (size == order.length) {
            order = Arrays.copyOf(order, 2 * size);
        }
        order[size++] = slot;
        if (2 * size > keys.length) {
            grow();
        }
    }

    /** The counts, in order of first appearance. */
    Map<String, Long> toMap() {
        Map<String, Long> out = new LinkedHashMap<>(2 * size);
        for (int i = 0; i < size; i++) {
            out.put(keys[order[i]], counts[order[i]]);
        }
        return out;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldHashes = hashes;
        long[] oldCounts = counts;
        keys = new String[2 * oldKeys.length];
        hashes = new int[keys.length];
        counts = new long[keys.length];
        int mask = keys.length - 1;
        for (int i = 0; i < size; i++) {
            int from = order[i];
            int slot = mix(oldHashes[from]) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = oldKeys[from];
            hashes[slot] = oldHashes[from];
            counts[slot] = oldCounts[from];
            order[i] = slot;
        }
    }

    /** Spreads String-style hashes, whose low bits are poor for short keys, over the table. */
    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
