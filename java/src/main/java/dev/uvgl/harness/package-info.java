/**
 * Benchmark harnesses the engine jar's `bench` commands run (synthetic clustered features, the dense Python
 * clustering reference as a subprocess, peak memory, a model's train step, per-op device bandwidth). Nothing that
 * trains, clusters or evaluates imports this package; JMH microbenchmarks live in the bench module.
 */
package dev.uvgl.harness;
