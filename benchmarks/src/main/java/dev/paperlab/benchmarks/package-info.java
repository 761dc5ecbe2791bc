/**
 * JMH benchmarks. Each benchmark class measures one paperlab implementation beside its library
 * peers in the same run; results and the command that produced them are in docs/benchmarks.md.
 */
package dev.paperlab.benchmarks;
