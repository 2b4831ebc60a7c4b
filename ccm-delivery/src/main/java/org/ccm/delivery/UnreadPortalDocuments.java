package org.ccm.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transactional document the customer has not opened in the portal after a while
 * ({@code ccm.delivery.portal.print-unread-after}, or per template) goes to print as
 * well, so that it reaches the customer. One replica looks at a time.
 */
@Component
class UnreadPortalDocuments {

	private static final int PAGE = 200;

	private final JdbcClient jdbc;

	private final Router router;

	private final DeliveryProperties.Portal properties;

	private final TransactionTemplate transaction;

	private final Clock clock;

	UnreadPortalDocuments(JdbcClient jdbc, Router router, DeliveryProperties properties,
			PlatformTransactionManager transactionManager, Clock clock) {
		this.jdbc = jdbc;
		this.router = router;
		this.properties = properties.portal();
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${ccm.delivery.portal.unread-check:PT1H}",
			initialDelayString = "${ccm.delivery.portal.unread-check:PT1H}")
	@SchedulerLock(name = "ccm-delivery-print-unread-portal")
	void printUnread() {
		Instant now = Instant.now(this.clock);
		Map<String, Duration> byTemplate = this.properties.printUnreadAfterByTemplate();
		List<String> own = new ArrayList<>(byTemplate.keySet());
		int printed;
		do {
			printed = 0;
			if (!this.properties.printUnreadAfter().isZero()) {
				printed += print(unread(now.minus(this.properties.printUnreadAfter()), null, own),
						this.properties.printUnreadAfter());
			}
			for (Map.Entry<String, Duration> template : byTemplate.entrySet()) {
				if (!template.getValue().isZero()) {
					printed += print(unread(now.minus(template.getValue()), template.getKey(), List.of()),
							template.getValue());
				}
			}
		}
		while (printed >= PAGE);
	}

	private int print(List<UUID> portalDeliveries, Duration after) {
		String reason = "unread in the portal after " + after.toString().substring(2).toLowerCase(Locale.ROOT);
		for (UUID id : portalDeliveries) {
			this.transaction.executeWithoutResult((status) -> this.router.printUnread(id, reason));
		}
		return portalDeliveries.size();
	}

	/**
	 * Portal deliveries of transactional documents unread since before {@code cutoff}, of
	 * one template or of every template but {@code except}, with no print delivery.
	 */
	private List<UUID> unread(Instant cutoff, @Nullable String template, List<String> except) {
		return this.jdbc.sql("""
				SELECT d.id FROM delivery d
				  JOIN portal_document p ON p.delivery_id = d.id
				  JOIN communication c ON c.id = d.communication_id
				 WHERE d.channel = 'PORTAL' AND d.purpose = 'TRANSACTIONAL' AND p.read_at IS NULL
				   AND p.delivered_at < :cutoff
				   AND (CAST(:template AS TEXT) IS NULL OR c.template = :template)
				   AND NOT (c.template = ANY(:except))
				   AND NOT EXISTS (SELECT 1 FROM delivery x WHERE x.communication_id = d.communication_id
				                                              AND x.channel = 'PRINT')
				 ORDER BY p.delivered_at LIMIT :limit""")
			.param("cutoff", Deliveries.timestamp(cutoff))
			.param("template", template)
			.param("except", except.toArray(String[]::new))
			.param("limit", PAGE)
			.query(UUID.class)
			.list();
	}

}
