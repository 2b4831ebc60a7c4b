package org.ccm.tracking;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Engagement statistics from the interactions this module recorded: how many deliveries
 * were sent, opened and clicked, per customer and per template.
 */
@Service
@Transactional(readOnly = true)
public class Engagement {

	private static final String COUNTS = """
			count(sent_at) AS sent,
			count(*) FILTER (WHERE first_opened_at IS NOT NULL) AS opened,
			count(*) FILTER (WHERE first_clicked_at IS NOT NULL) AS clicked,
			coalesce(sum(opens), 0) AS opens,
			coalesce(sum(clicks), 0) AS clicks
			""";

	private final JdbcClient jdbc;

	Engagement(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public EngagementCounts ofCustomer(UUID customerId) {
		return jdbc.sql("SELECT " + COUNTS + " FROM tracked_delivery WHERE customer_id = :customer")
			.param("customer", customerId)
			.query(EngagementCounts.class)
			.optional()
			.orElse(EngagementCounts.NONE);
	}

	public EngagementCounts ofTemplate(String template) {
		return jdbc.sql("SELECT " + COUNTS + " FROM tracked_delivery WHERE template = :template")
			.param("template", template)
			.query(EngagementCounts.class)
			.optional()
			.orElse(EngagementCounts.NONE);
	}

	/**
	 * Every template with sent deliveries, the most sent first.
	 */
	public List<TemplateEngagement> byTemplate(int limit) {
		return jdbc.sql("SELECT template, " + COUNTS
				+ " FROM tracked_delivery WHERE template IS NOT NULL GROUP BY template ORDER BY sent DESC, template LIMIT :limit")
			.param("limit", limit)
			.query((rs, row) -> new TemplateEngagement(rs.getString("template"),
					new EngagementCounts(rs.getLong("sent"), rs.getLong("opened"), rs.getLong("clicked"),
							rs.getLong("opens"), rs.getLong("clicks"))))
			.list();
	}

}
