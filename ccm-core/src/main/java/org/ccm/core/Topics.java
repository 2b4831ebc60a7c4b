package org.ccm.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import static org.ccm.core.Timestamps.instant;
import static org.ccm.core.Timestamps.utc;

/**
 * The topics templates may name and the customers' choices about them. The list is
 * configuration ({@code ccm.core.topics.*}), not data: a template that names a topic is
 * reviewed and shipped with it, and the labels customers read are translated with the
 * release. A customer receives every topic until they opt out; a mandatory topic is
 * received whatever they chose.
 */
@Service
public class Topics {

	private static final String KEY = "[a-z0-9][a-z0-9_-]{0,62}";

	private static final Map<String, CoreProperties.TopicSettings> BUILT_IN = builtIn();

	private final List<Topic> all;

	private final JdbcClient jdbc;

	private final CustomerTable table;

	private final Timeline timeline;

	private final Clock clock;

	Topics(CoreProperties properties, JdbcClient jdbc, CustomerTable table, Timeline timeline, Clock clock) {
		this.jdbc = jdbc;
		this.table = table;
		this.timeline = timeline;
		this.clock = clock;
		Map<String, CoreProperties.TopicSettings> configured = properties.topics().isEmpty() ? BUILT_IN
				: properties.topics();
		List<Topic> topics = new ArrayList<>();
		configured.forEach((key, settings) -> {
			if (!key.matches(KEY)) {
				throw new IllegalStateException(
						"ccm.core.topics." + key + ": a topic is 1 to 63 lower-case letters, digits, '-' or '_'");
			}
			topics.add(new Topic(key, settings.mandatory(), settings.labels()));
		});
		this.all = List.copyOf(topics);
	}

	private static Map<String, CoreProperties.TopicSettings> builtIn() {
		Map<String, CoreProperties.TopicSettings> topics = new LinkedHashMap<>();
		topics.put("newsletter",
				new CoreProperties.TopicSettings(false, Map.of("en", "Newsletter", "pl", "Newsletter")));
		topics.put("product-news", new CoreProperties.TopicSettings(false,
				Map.of("en", "News about our products", "pl", "Nowości o naszych produktach")));
		topics.put("service-notices",
				new CoreProperties.TopicSettings(true, Map.of("en", "Service notices", "pl", "Komunikaty serwisowe")));
		return topics;
	}

	/** Every topic, in the configured order. */
	public List<Topic> all() {
		return all;
	}

	public Optional<Topic> find(String key) {
		return all.stream().filter((topic) -> topic.key().equals(key)).findFirst();
	}

	/**
	 * The topics the customer opted out of, mandatory ones included (they are still
	 * received).
	 */
	@Transactional(readOnly = true)
	public Set<String> optedOut(UUID customerId) {
		return new TreeSet<>(jdbc.sql("""
				SELECT topic FROM (
				  SELECT DISTINCT ON (topic) topic, opted_out FROM topic_choice_event WHERE customer_id = ?
				  ORDER BY topic, recorded_at DESC, id DESC) latest
				WHERE opted_out
				""").param(customerId).query(String.class).list());
	}

	/**
	 * Whether a communication on the topic may reach the customer: always for a mandatory
	 * or unknown topic, otherwise unless the customer opted out.
	 */
	@Transactional(readOnly = true)
	public boolean receives(UUID customerId, String topic) {
		return find(topic).map((known) -> known.mandatory() || !optedOut(customerId).contains(topic)).orElse(true);
	}

	/** The customer's topic choices, newest first. */
	@Transactional(readOnly = true)
	public List<TopicChoice> history(UUID customerId) {
		return jdbc.sql("""
				SELECT topic, opted_out, source, changed_by, recorded_at FROM topic_choice_event
				WHERE customer_id = ? ORDER BY recorded_at DESC, id DESC
				""")
			.param(customerId)
			.query((rs, n) -> new TopicChoice(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4),
					instant(rs, 5)))
			.list();
	}

	/**
	 * Problems with the wished choices, by field ({@code topics.newsletter}): an unknown
	 * topic, or opting out of a mandatory one.
	 */
	Map<String, String> problems(Map<String, Boolean> optedOut) {
		Map<String, String> problems = new LinkedHashMap<>();
		optedOut.forEach((key, out) -> {
			Optional<Topic> topic = find(key);
			if (topic.isEmpty()) {
				problems.put("topics." + key, "is not a topic of this platform");
			}
			else if (topic.get().mandatory() && out) {
				problems.put("topics." + key, "is mandatory and cannot be opted out of");
			}
		});
		return problems;
	}

	/**
	 * Records the choices that differ from the customer's current ones, each audited and
	 * written on the timeline as {@code actor}'s; the caller has checked them with
	 * {@link #problems} and holds the customer's lock.
	 */
	void change(UUID customerId, Map<String, Boolean> optedOut, String source, String actor) {
		Set<String> current = optedOut(customerId);
		Instant now = Instant.now(clock);
		List<Interaction> entries = new ArrayList<>();
		optedOut.forEach((topic, out) -> {
			if (current.contains(topic) == out) {
				return;
			}
			jdbc.sql("""
					INSERT INTO topic_choice_event (customer_id, topic, opted_out, source, changed_by, recorded_at)
					VALUES (?, ?, ?, ?, ?, ?)
					""").params(customerId, topic, out, source, actor, utc(now)).update();
			table.audit(customerId, "topic." + topic, out ? "OPTED_OUT" : "OPTED_IN", actor, now);
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("topic", topic);
			detail.put("optedOut", out);
			detail.put("source", source);
			detail.put("changedBy", actor);
			entries.add(new Interaction(customerId, InteractionType.TOPIC_CHANGED, null, null, null, now, detail));
		});
		timeline.recordAll(entries);
	}

}
