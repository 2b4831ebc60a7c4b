package org.ccm.core;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the customer database ({@code ccm.core.*}).
 *
 * @param defaults what a customer gets when the back office says nothing
 * @param timeline paging of the interaction timeline
 * @param imports bulk import tuning
 * @param segments segment evaluation limits
 * @param topics the topics templates may name, by key ({@code newsletter}); none
 * configured means the built-in newsletter, product news and service notices
 */
@ConfigurationProperties("ccm.core")
@Validated
record CoreProperties(@DefaultValue @Valid Defaults defaults, @DefaultValue @Valid TimelineSettings timeline,
		@DefaultValue @Valid Imports imports, @DefaultValue @Valid SegmentSettings segments,
		@DefaultValue Map<String, @Valid TopicSettings> topics) {

	/**
	 * A topic as configured: {@code ccm.core.topics.newsletter.labels.pl=Newsletter}.
	 *
	 * @param mandatory customers receive it whatever they chose (service notices)
	 * @param labels what customers read, by language tag; English is the fallback
	 */
	record TopicSettings(@DefaultValue("false") boolean mandatory, @DefaultValue Map<String, String> labels) {
	}

	/**
	 * @param locale locale of a customer created without one
	 * @param timeZone time zone of a customer created without one
	 * @param phoneRegion region used to read phone numbers written without a country code
	 * when neither the address nor the locale names a country
	 */
	record Defaults(@DefaultValue("en") Locale locale, @DefaultValue("UTC") ZoneId timeZone,
			@DefaultValue("GB") String phoneRegion) {
	}

	record TimelineSettings(@DefaultValue("50") @Min(1) @Max(1000) int defaultPageSize,
			@DefaultValue("500") @Min(1) @Max(10000) int maxPageSize) {
	}

	/**
	 * @param batchSize customers written per transaction (a few set-based statements
	 * each)
	 * @param threads imports that may run at the same time
	 * @param parseThreads threads that read rows into customer details and validate them
	 * (phone numbers cost most), shared by the running imports
	 * @param staleAfter how long an import may go without a heartbeat from the instance
	 * holding it before it counts as abandoned (that instance stopped) and is failed
	 */
	record Imports(@DefaultValue("10000") @Min(1) @Max(50000) int batchSize,
			@DefaultValue("1") @Min(1) @Max(16) int threads, @DefaultValue("2") @Min(1) @Max(64) int parseThreads,
			@DefaultValue("5m") Duration staleAfter) {
	}

	/**
	 * @param previewSize members shown by a preview unless asked otherwise
	 * @param workMem PostgreSQL {@code work_mem} while a rule is evaluated: the sums and
	 * member sets of a million customers stay in memory instead of spilling to disk
	 * @param parallelWorkers PostgreSQL {@code max_parallel_workers_per_gather} while a
	 * rule is evaluated; parallel plans of these semi-joins build the whole aggregate in
	 * every worker and measured slower (ccm-bench)
	 * @param maxRules the most rules (every node of the tree) one segment may have
	 * @param maxDepth the deepest nesting of {@code and}, {@code or} and {@code not}
	 * @param maxInValues the most values one {@code in} comparison may list
	 * @param statementTimeouts how long PostgreSQL may work on one statement per kind of
	 * segment query before it is cancelled
	 */
	record SegmentSettings(@DefaultValue("20") @Min(1) @Max(1000) int previewSize,
			@DefaultValue("64MB") @NotBlank String workMem, @DefaultValue("0") @Min(0) @Max(64) int parallelWorkers,
			@DefaultValue("200") @Min(1) @Max(10000) int maxRules, @DefaultValue("10") @Min(1) @Max(32) int maxDepth,
			@DefaultValue("500") @Min(1) @Max(20000) int maxInValues,
			@DefaultValue @Valid StatementTimeouts statementTimeouts) {
	}

	/**
	 * Statement timeouts per class of segment query ({@code SET LOCAL statement_timeout}
	 * for the query only); a cancelled query answers {@code 503 query-timeout}.
	 *
	 * @param count counting the members of a rule
	 * @param preview the first members of a rule
	 * @param members reading every member of a rule (exports)
	 * @param membership whether one customer belongs to a segment (offer targeting)
	 */
	record StatementTimeouts(@DefaultValue("10s") Duration count, @DefaultValue("10s") Duration preview,
			@DefaultValue("5m") Duration members, @DefaultValue("2s") Duration membership) {
	}

}
