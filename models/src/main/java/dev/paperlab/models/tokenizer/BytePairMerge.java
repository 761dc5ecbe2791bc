package dev.paperlab.models.tokenizer;

import java.util.PriorityQueue;

/**
 * Encodes one piece by merge rank, the tiktoken algorithm: start from single bytes and repeatedly
 * merge the adjacent pair whose concatenation has the lowest rank (leftmost on ties) until no
 * adjacent concatenation is a token. A piece that is itself a token is returned as is.
 *
 * <p>Worked example with ranks {@code aa=256, ab=257, aaab=258}: {@code a a a b} -> {@code aa a b}
 * (256 is lowest, leftmost) -> {@code aa ab} -> {@code aaab}.
 *
 * <p>Short pieces use arrays and a linear scan for the minimum, O(n^2) but cache friendly; long
 * pieces (a run of thousands of letters) a linked list and a heap with lazy deletion, O(n log n).
 */
final class BytePairMerge {
    static final int LONG_PIECE = 256;
    private static final int NONE = Integer.MAX_VALUE;

    private BytePairMerge() {}

    /** Appends the tokens of {@code b[0, len)} to {@code out}. */
    static void encode(TokenRanks ranks, byte[] b, int len, IntList out) {
        int whole = ranks.rank(b, 0, len);
        if (whole >= 0) {
            out.add(whole);
        } else {
            merge(ranks, b, len, out);
        }
    }

    /** Appends the tokens of {@code b[0, len)}, known not to be a single token, to {@code out}. */
    static void merge(TokenRanks ranks, byte[] b, int len, IntList out) {
        if (len < LONG_PIECE) {
            encodeShort(ranks, b, len, out);
        } else {
            encodeLong(ranks, b, len, out);
        }
    }

    private static int pairRank(TokenRanks ranks, byte[] b, int start, int end) {
        int r = ranks.rank(b, start, end - start);
        return r < 0 ? NONE : r;
    }

    static void encodeShort(TokenRanks ranks, byte[] b, int len, IntList out) {
        int[] start = new int[len + 1]; // part i is b[start[i], start[i + 1])
        int[] rank = new int[len]; // rank[i]: rank of part i joined with part i + 1
        for (int i = 0; i <= len; i++) {
            start[i] = i;
        }
        int parts = len;
        for (int i = 0; i + 1 < parts; i++) {
            rank[i] = pairRank(ranks, b, i, i + 2);
        }
        while (parts > 1) {
            int best = 0;
            for (int i = 1; i + 1 < parts; i++) {
                if (rank[i] < rank[best]) {
                    best = i;
                }
            }
            if (rank[best] == NONE) {
                break;
            }
            // Join parts best and best + 1: drop boundary best + 1.
            System.arraycopy(start, best + 2, start, best + 1, parts - best - 1);
            System.arraycopy(rank, best + 2, rank, best + 1, Math.max(0, parts - best - 3));
            parts--;
            if (best + 1 < parts) {
                rank[best] = pairRank(ranks, b, start[best], start[best + 2]);
            }
            if (best > 0) {
                rank[best - 1] = pairRank(ranks, b, start[best - 1], start[best + 1]);
            }
        }
        for (int i = 0; i < parts; i++) {
            out.add(ranks.rank(b, start[i], start[i + 1] - start[i]));
        }
    }

    static void encodeLong(TokenRanks ranks, byte[] b, int len, IntList out) {
        // A part is named by its first byte p and spans b[p, next[p]); prev[p] == -2 once absorbed.
        int[] next = new int[len];
        int[] prev = new int[len];
        int[] rank = new int[len]; // rank of part p joined with its successor
        PriorityQueue<Long> heap = new PriorityQueue<>(); // (rank << 32 | p): lowest, then leftmost
        for (int p = 0; p < len; p++) {
            next[p] = p + 1;
            prev[p] = p - 1;
            rank[p] = p + 1 < len ? pairRank(ranks, b, p, p + 2) : NONE;
            push(heap, rank[p], p);
        }
        while (!heap.isEmpty()) {
            long top = heap.poll();
            int r = (int) (top >>> 32);
            int p = (int) top;
            if (prev[p] == -2 || rank[p] != r) {
                continue; // stale entry: the part was absorbed or its pair changed
            }
            int q = next[p];
            next[p] = next[q];
            if (next[q] < len) {
                prev[next[q]] = p;
            }
            prev[q] = -2;
            rank[p] = next[p] < len ? pairRank(ranks, b, p, next[next[p]]) : NONE;
            push(heap, rank[p], p);
            int l = prev[p];
            if (l >= 0) {
                rank[l] = pairRank(ranks, b, l, next[p]);
                push(heap, rank[l], l);
            }
        }
        for (int p = 0; p < len; p = next[p]) {
            out.add(ranks.rank(b, p, next[p] - p));
        }
    }

    private static void push(PriorityQueue<Long> heap, int rank, int pos) {
        if (rank != NONE) {
            heap.add(((long) rank << 32) | pos);
        }
    }
}
