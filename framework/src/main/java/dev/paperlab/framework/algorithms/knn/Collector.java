package dev.paperlab.framework.algorithms.knn;

/** Receives candidate points during a tree search and bounds it. */
interface Collector {
    /** Squared distances strictly above this cannot enter the result. */
    double limit();

    void offer(double squaredDistance, int index);

    Neighbors result();
}
