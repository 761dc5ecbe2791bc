/**
 * Shortest paths on compact graphs and grids.
 *
 * <ul>
 *   <li>{@link dev.paperlab.framework.algorithms.graph.CsrGraph}: compressed sparse row
 *       adjacency (offsets, targets, weights), built from edge lists, directed or undirected.
 *   <li>{@link dev.paperlab.framework.algorithms.graph.Dijkstra}: E. W. Dijkstra, "A note on two
 *       problems in connexion with graphs", Numerische Mathematik 1:269-271, 1959, with an
 *       {@link dev.paperlab.framework.algorithms.graph.IndexedMinHeap} that has a real
 *       decrease-key.
 *   <li>{@link dev.paperlab.framework.algorithms.graph.AStar} and
 *       {@link dev.paperlab.framework.algorithms.graph.GridSearch}: P. E. Hart, N. J. Nilsson,
 *       B. Raphael, "A Formal Basis for the Heuristic Determination of Minimum Cost Paths", IEEE
 *       Transactions on Systems Science and Cybernetics 4(2):100-107, 1968.
 * </ul>
 */
package dev.paperlab.framework.algorithms.graph;
