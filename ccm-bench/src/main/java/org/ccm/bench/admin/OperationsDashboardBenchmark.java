package org.ccm.bench.admin;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccm.bench.BenchPlatform;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.JdbcUserDetailsManager;

/**
 * How long the operations dashboard takes to load, signed in as an operator over HTTP,
 * with {@code ccm.bench.interactions} interactions, {@code ccm.bench.communications}
 * communications (one delivery each, {@code ccm.bench.failed-percent} of them failed for
 * good, accepted over the last 30 days) with their status history, {@code
 * ccm.bench.last-hour} of them sent within the last hour (the per-minute figures read
 * those), a campaign history and dead letters in the database. Run:
 * {@code ccm-bench/run operations} (see {@code docs/benchmarks.md}).
 */
public final class OperationsDashboardBenchmark {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	public static void main(String[] args) throws Exception {
		int customers = Integer.getInteger("ccm.bench.customers", 100_000);
		int interactions = Integer.getInteger("ccm.bench.interactions", 10_000_000);
		int communications = Integer.getInteger("ccm.bench.communications", 1_000_000);
		int failedPercent = Integer.getInteger("ccm.bench.failed-percent", 2);
		int loads = Integer.getInteger("ccm.bench.loads", 50);
		int lastHour = Integer.getInteger("ccm.bench.last-hour", 100_000);
		BenchPlatform.runAndExit(BenchPlatform.start(args, Map.of("ccm.security.rate-limits.enabled", false)),
				(platform) -> {
					ConfigurableApplicationContext app = platform.app();
					JdbcClient jdbc = app.getBean(JdbcClient.class);
					System.out.printf(Locale.ROOT, "PostgreSQL %s, %d cores, JVM %s%n",
							jdbc.sql("SHOW server_version").query(String.class).single(),
							Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
					seed(jdbc, customers, interactions, communications, failedPercent, lastHour);
					app.getBean(JdbcUserDetailsManager.class)
						.createUser(User.withUsername("bench-ops")
							.password("{noop}bench-ops-password")
							.roles("OPS")
							.build());
					measure("http://localhost:" + platform.port(), loads);
				});
	}

	static void seed(JdbcClient jdbc, int customers, int interactions, int communications, int failedPercent,
			int lastHour) {
		long started = System.nanoTime();
		jdbc.sql("""
				INSERT INTO customer (id, external_id, name, locale, time_zone, status, email, email_state, created_at,
				                      updated_at)
				SELECT uuidv7(), 'OPS-' || g, 'Customer ' || g, 'en', 'UTC', 'ACTIVE', 'c' || g || '@example.com',
				       'VERIFIED', now(), now()
				  FROM generate_series(1, ?) g""").param(customers).update();
		jdbc.sql("""
				INSERT INTO interaction (id, customer_id, type, channel, occurred_at, detail)
				SELECT uuidv7(), c.id, (ARRAY['SENT','DELIVERED','OPENED','CLICKED'])[1 + (g % 4)], 'EMAIL',
				       now() - random() * interval '730 days', '{}'
				  FROM (SELECT id FROM customer) c, generate_series(1, ?) g""")
			.param(Math.max(1, interactions / customers))
			.update();
		jdbc.sql("""
				INSERT INTO communication (id, client_id, customer_id, customer_external_id, template, purpose, data,
				                           accepted_at, routed_at)
				SELECT uuidv7(), 'bench', c.id, c.external_id, 'invoice', 'TRANSACTIONAL', '{}', t.at, t.at
				  FROM (SELECT id, external_id, row_number() OVER () AS n FROM customer) c,
				       generate_series(1, ?) g,
				       LATERAL (SELECT now() - random() * interval '30 days' AS at) t""")
			.param(Math.max(1, communications / customers))
			.update();
		jdbc.sql("""
				INSERT INTO delivery (id, communication_id, customer_id, channel, purpose, status, failure_reason,
				                      created_at, updated_at, sent_at)
				SELECT uuidv7(), c.id, c.customer_id, 'EMAIL', 'TRANSACTIONAL',
				       CASE WHEN random() * 100 < ? THEN 'PERMANENT_FAILURE' ELSE 'DELIVERED' END,
				       NULL, c.accepted_at, c.accepted_at + interval '2 seconds', c.accepted_at + interval '1 second'
				  FROM communication c""").param(failedPercent).update();
		jdbc.sql(
				"""
						UPDATE delivery SET failure_reason = '550 5.1.1 <x@example.com>: Recipient address rejected: User unknown'
						 WHERE status = 'PERMANENT_FAILURE'""")
			.update();
		// a busy last hour (a campaign going out): the newest deliveries sent within it
		jdbc.sql("""
				UPDATE delivery SET sent_at = now() - random() * interval '1 hour'
				 WHERE id IN (SELECT id FROM delivery WHERE status = 'DELIVERED' ORDER BY id DESC LIMIT ?)""")
			.param(lastHour)
			.update();
		// each delivery's history: queued, then sent (and later delivered) or failed
		jdbc.sql(
				"""
						INSERT INTO delivery_status_history (delivery_id, status, at, reason)
						SELECT id, s.status, s.at, NULL
						  FROM delivery d,
						       LATERAL (VALUES ('QUEUED', d.created_at),
						                       (CASE WHEN d.status = 'PERMANENT_FAILURE' THEN 'PERMANENT_FAILURE' ELSE 'SENT' END,
						                        d.sent_at),
						                       (CASE WHEN d.status = 'DELIVERED' THEN 'DELIVERED' END, d.updated_at)) s (status, at)
						 WHERE s.status IS NOT NULL""")
			.update();
		// and in that hour the failed share of them was refused once before it went out
		jdbc.sql("""
				INSERT INTO delivery_status_history (delivery_id, status, at, reason)
				SELECT id, 'TEMPORARY_FAILURE', sent_at - interval '30 seconds', '451 4.3.0 try again later'
				  FROM delivery WHERE sent_at > now() - interval '1 hour' AND random() * 100 < ?""")
			.param(failedPercent)
			.update();
		jdbc.sql(
				"""
						INSERT INTO dead_letter (id, original_topic, payload, error, received_at)
						SELECT uuidv7(), 'ccm.delivery.email', '{}', 'provider refused the connection', now() - g * interval '1 minute'
						  FROM generate_series(1, 500) g""")
			.update();
		jdbc.sql("VACUUM ANALYZE").update();
		System.out.printf(Locale.ROOT,
				"Seeded in %.1f s: %,d customers, %,d interactions, %,d communications, %,d deliveries (%,d failed), %,d status changes (%,d messages sent in the last hour), %,d dead letters%n",
				(System.nanoTime() - started) / 1e9, count(jdbc, "customer"), count(jdbc, "interaction"),
				count(jdbc, "communication"), count(jdbc, "delivery"),
				jdbc.sql("SELECT count(*) FROM delivery WHERE status = 'PERMANENT_FAILURE'").query(Long.class).single(),
				count(jdbc, "delivery_status_history"),
				jdbc.sql("SELECT count(*) FROM delivery WHERE sent_at > now() - interval '1 hour'")
					.query(Long.class)
					.single(),
				count(jdbc, "dead_letter"));
	}

	private static long count(JdbcClient jdbc, String table) {
		return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
	}

	static void measure(String base, int loads) throws Exception {
		HttpClient http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
		String login = http
			.send(HttpRequest.newBuilder(URI.create(base + "/admin/login")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher csrf = CSRF.matcher(login);
		if (!csrf.find()) {
			throw new IllegalStateException("no CSRF token on the login page");
		}
		String form = "username=bench-ops&password=bench-ops-password&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		http.send(HttpRequest.newBuilder(URI.create(base + "/admin/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.discarding());
		for (String path : List.of("/admin/operations", "/admin/operations/figures", "/admin/operations/failures")) {
			// the first loads warm the JVM and the database caches
			for (int i = 0; i < 5; i++) {
				load(http, base + path);
			}
			long[] millis = new long[loads];
			for (int i = 0; i < loads; i++) {
				millis[i] = load(http, base + path);
			}
			Arrays.sort(millis);
			System.out.printf(Locale.ROOT, "%-28s %d loads: p50 %d ms, p99 %d ms, max %d ms%n", path, loads,
					millis[loads / 2], millis[Math.min(loads - 1, (int) Math.ceil(loads * 0.99) - 1)],
					millis[loads - 1]);
		}
	}

	private static long load(HttpClient http, String url) throws Exception {
		long started = System.nanoTime();
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
				HttpResponse.BodyHandlers.ofString());
		long millis = (System.nanoTime() - started) / 1_000_000;
		if (response.statusCode() != 200
				|| !response.body().contains("id=\"channels\"") && !response.body().contains("Failed deliveries")) {
			throw new IllegalStateException(url + " answered " + response.statusCode() + ": "
					+ response.body().substring(0, Math.min(300, response.body().length())));
		}
		return millis;
	}

}
