package org.ccm.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@CoreTest
class TimelineTests {

	@Autowired
	Timeline timeline;

	@Autowired
	Customers customers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void pagesNewestFirstWithoutGapsOrRepeats() {
		UUID customer = customers.upsert("TL-1", CustomersTests.alice()).id();
		UUID other = customers.upsert("TL-2", CustomersTests.alice()).id();
		Instant base = Instant.parse("2025-01-01T10:00:00.123456789Z");
		List<Interaction> interactions = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			// two entries share each instant: the id breaks the tie
			interactions.add(new Interaction(customer, InteractionType.SENT, Channel.EMAIL, UUID.randomUUID(), null,
					base.plusSeconds(i / 2), Map.of("n", i)));
		}
		interactions.add(new Interaction(other, InteractionType.OPENED, Channel.EMAIL, null, null, base, Map.of()));
		timeline.recordAll(interactions);
		// creating the customer put its consent on the timeline: it is the newest entry,
		// start after it
		TimelinePage start = timeline.page(customer, null, 1);
		assertThat(start.entries()).extracting(TimelineEntry::type).containsExactly(InteractionType.CONSENT_CHANGED);

		List<TimelineEntry> seen = new ArrayList<>();
		String cursor = start.nextCursor();
		int pages = 0;
		do {
			TimelinePage page = timeline.page(customer, cursor, 3);
			seen.addAll(page.entries());
			cursor = page.nextCursor();
			pages++;
		}
		while (cursor != null);

		assertThat(pages).isEqualTo(3);
		assertThat(seen).hasSize(7).extracting(TimelineEntry::id).doesNotHaveDuplicates();
		assertThat(seen).extracting(TimelineEntry::occurredAt)
			.isSortedAccordingTo(java.util.Comparator.reverseOrder())
			.first()
			.isEqualTo(Instant.parse("2025-01-01T10:00:03.123456Z"));
		assertThat(seen).extracting((entry) -> entry.detail().get("n")).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
		assertThat(seen.get(0).channel()).isEqualTo(Channel.EMAIL);
		assertThat(seen.get(0).communicationId()).isNotNull();
	}

	@Test
	void aPageIsOneIndexRangeScan() {
		UUID customer = customers.upsert("TL-3", CustomersTests.alice()).id();
		String plan = transactions.execute((status) -> {
			jdbc.sql("SET LOCAL enable_seqscan = off").update();
			return String.join("\n", jdbc.sql("""
					EXPLAIN SELECT * FROM interaction WHERE customer_id = ?
					AND (occurred_at, id) < (?, ?) ORDER BY occurred_at DESC, id DESC LIMIT 51
					""").params(customer, Timestamps.utc(Instant.now()), UUID.randomUUID()).query(String.class).list());
		});
		// the whole keyset condition bounds the scan: no sort, no filter
		assertThat(plan).contains("Index Scan using interaction_timeline_idx")
			.containsPattern("Index Cond: .*ROW\\(occurred_at, id\\) <")
			.doesNotContain("Sort")
			.doesNotContain("Filter");
	}

	@Test
	void rejectsForeignCursors() {
		assertThatIllegalArgumentException().isThrownBy(() -> timeline.page(UUID.randomUUID(), "not-a-cursor", 10));
	}

}
