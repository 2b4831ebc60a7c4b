package org.ccm.bench;

import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What PostgreSQL spent per message, statement by statement, from
 * {@code pg_stat_statements} (when a benchmark runs with
 * {@code -Dccm.bench.statements=true}). Times are the server's elapsed times, so on a
 * busy machine they include waiting for a core; the calls per message do not depend on
 * the machine.
 */
public final class PostgresStatements {

	private static final String ENABLED = "ccm.bench.statements";

	private PostgresStatements() {
	}

	/**
	 * Has the embedded server load the extension; to be called before it starts.
	 */
	public static void prepare() {
		if (Boolean.getBoolean(ENABLED)) {
			System.setProperty("ccm.test.postgres.shared-preload-libraries", "pg_stat_statements");
		}
	}

	/** Starts counting from zero. */
	public static void reset(JdbcClient jdbc) {
		if (Boolean.getBoolean(ENABLED)) {
			jdbc.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").update();
			// planning is part of what a statement costs the server
			jdbc.sql("ALTER SYSTEM SET pg_stat_statements.track_planning = on").update();
			jdbc.sql("SELECT pg_reload_conf()").query().singleValue();
			jdbc.sql("SELECT pg_stat_statements_reset()").query().singleValue();
		}
	}

	/**
	 * Prints the statements since the last {@link #reset}, the costliest first, per
	 * message.
	 */
	public static void report(JdbcClient jdbc, String label, long messages) {
		if (!Boolean.getBoolean(ENABLED)) {
			return;
		}
		System.out.printf(Locale.ROOT, "%nStatements of %s, per message: ms (execution + planning), calls, "
				+ "rows per call, planning ms, statement%n", label);
		jdbc.sql("""
				SELECT (total_exec_time + total_plan_time) / :messages, calls::float8 / :messages,
				       rows::float8 / nullif(calls, 0), total_plan_time / :messages,
				       left(regexp_replace(query, '\\s+', ' ', 'g'), 150)
				  FROM pg_stat_statements
				 WHERE query NOT LIKE '%pg_stat_statements%'
				 ORDER BY total_exec_time + total_plan_time DESC LIMIT 30""")
			.param("messages", messages)
			.query((rs) -> {
				System.out.printf(Locale.ROOT, "  %7.4f %7.3f %8.1f %7.4f  %s%n", rs.getDouble(1), rs.getDouble(2),
						rs.getDouble(3), rs.getDouble(4), rs.getString(5));
			});
		jdbc.sql("""
				SELECT sum(total_exec_time + total_plan_time) / :messages, sum(calls)::float8 / :messages,
				       sum(total_plan_time) / :messages, sum(plans)::float8 / :messages,
				       sum(calls) FILTER (WHERE query IN ('BEGIN', 'BEGIN READ ONLY'))::float8 / :messages
				  FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'""")
			.param("messages", messages)
			.query((rs) -> {
				System.out.printf(Locale.ROOT,
						"  all statements: %.3f ms (planning %.3f ms, %.2f plans), %.2f calls (%.2f of them BEGIN) "
								+ "per message%n",
						rs.getDouble(1), rs.getDouble(3), rs.getDouble(4), rs.getDouble(2), rs.getDouble(5));
			});
	}

}
