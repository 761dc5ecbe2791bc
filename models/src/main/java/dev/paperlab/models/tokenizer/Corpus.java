package dev.paperlab.models.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The training state of {@link BpeTrainer}: every distinct piece once, as a linked list of symbol
 * positions weighted by the piece's frequency, plus pair statistics kept up to date by merges.
 *
 * <p>A pair {@code (a, b)} is the long key {@code a << 32 | b}, so comparing keys compares pairs
 * lexicographically. Its statistics are its weighted count and the positions of its left symbol;
 * positions go stale when a neighbour merges and are checked before use.
 */
final class Corpus {
    private final int[] sym; // symbol id at each position, -1 once absorbed into its left neighbour
    private final int[] next; // next live position in the same piece, -1 at the end
    private final int[] prev; // previous live position in the same piece, -1 at the start
    private final int[] weight; // frequency of the piece a position belongs to
    private final Map<Long, Pair> pairs = new HashMap<>();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private final List<Long> changed = new ArrayList<>();
    private long merging = -1;

    /** Count and start positions of one pair. */
    private static final class Pair {
        long count;
        int[] pos = new int[2];
        int n;
        boolean changed;

        void add(int p) {
            if (n == pos.length) {
                pos = Arrays.copyOf(pos, n * 2);
            }
            pos[n++] = p;
        }
    }

    /** Queue entry: highest count first, then the smallest pair. */
    private static final class Entry implements Comparable<Entry> {
        final long count;
        final long key;

        Entry(long count, long key) {
            this.count = count;
            this.key = key;
        }

        @Override
        public int compareTo(Entry o) {
            return count != o.count ? Long.compare(o.count, count) : Long.compare(key, o.key);
        }
    }

    Corpus(Map<String, Long> pieceCounts) {
        int total = 0;
        byte[] buf = new byte[64];
        List<byte[]> bytes = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Map.Entry<String, Long> e : pieceCounts.entrySet()) {
            String s = e.getKey();
            long count = e.getValue();
            if (count < 1 || count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "count of piece '" + s + "' must be in [1, " + Integer.MAX_VALUE + "], got " + count);
            }
            if (buf.length < Utf8.maxBytes(s.length())) {
                buf = new byte[Utf8.maxBytes(s.length())];
            }
            int n = Utf8.encode(s, 0, s.length(), buf);
            if (n > 1) { // a single byte has no pair and never changes
                bytes.add(Arrays.copyOf(buf, n));
                counts.add((int) count);
                total += n;
            }
        }
        sym = new int[total];
        next = new int[total];
        prev = new int[total];
        weight = new int[total];
        int p = 0;
        for (int w = 0; w < bytes.size(); w++) {
            byte[] b = bytes.get(w);
            for (int i = 0; i < b.length; i++, p++) {
                sym[p] = b[i] & 0xFF;
                next[p] = i + 1 < b.length ? p + 1 : -1;
                prev[p] = i > 0 ? p - 1 : -1;
                weight[p] = counts.get(w);
                if (i > 0) {
                    delta(sym[p - 1], sym[p], weight[p], p - 1);
                }
            }
        }
        flushChanges();
    }

    static long key(int a, int b) {
        return ((long) a << 32) | b;
    }

    static int left(long key) {
        return (int) (key >>> 32);
    }

    static int right(long key) {
        return (int) key;
    }

    /** The pair to merge next, or -1 when no pair is left. */
    long bestPair() {
        while (!queue.isEmpty()) {
            Entry e = queue.poll();
            Pair p = pairs.get(e.key);
            if (p != null && p.count == e.count && p.count > 0) {
                return e.key;
            }
        }
        return -1;
    }

    /**
     * Replaces every occurrence of {@code pair}, left to right within a piece, by symbol {@code z}.
     */
    void merge(long pair, int z) {
        int a = left(pair);
        int b = right(pair);
        Pair stats = pairs.remove(pair);
        merging = pair;
        int[] pos = Arrays.copyOf(stats.pos, stats.n);
        Arrays.sort(pos);
        for (int k = 0; k < pos.length; k++) {
            int p = pos[k];
            int q = next[p];
            if ((k > 0 && pos[k - 1] == p) || sym[p] != a || q < 0 || sym[q] != b) {
                continue; // duplicate or stale position
            }
            int f = weight[p];
            int l = prev[p];
            int r = next[q];
            // x a b y -> x z y: (x,a), (b,y) lose f; (x,z), (z,y) gain f.
            if (l >= 0) {
                delta(sym[l], a, -f, -1);
                delta(sym[l], z, f, l);
            }
            if (r >= 0) {
                delta(b, sym[r], -f, -1);
                delta(z, sym[r], f, p);
                prev[r] = p;
            }
            sym[p] = z;
            sym[q] = -1;
            next[p] = r;
        }
        merging = -1;
        flushChanges();
    }

    private void delta(int x, int y, long d, int position) {
        long k = key(x, y);
        if (k == merging) {
            return; // the pair being merged is gone as a whole
        }
        Pair p = pairs.computeIfAbsent(k, unused -> new Pair());
        p.count += d;
        if (position >= 0) {
            p.add(position);
        }
        if (!p.changed) {
            p.changed = true;
            changed.add(k);
        }
    }

    /** Queues the new counts of changed pairs; drops pairs that no longer occur. */
    private void flushChanges() {
        for (long k : changed) {
            Pair p = pairs.get(k);
            p.changed = false;
            if (p.count > 0) {
                queue.add(new Entry(p.count, k));
            } else {
                pairs.remove(k);
            }
        }
        changed.clear();
    }
}
