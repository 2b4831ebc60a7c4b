/**
 * Benchmarks of the platform's hot paths. Run them with {@code ccm-bench/run <pattern>}
 * after {@code ./mvnw -DskipTests package}; results and the machine they ran on go to
 * {@code docs/benchmarks.md}.
 */
package org.ccm.bench;
