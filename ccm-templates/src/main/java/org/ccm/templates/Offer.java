package org.ccm.templates;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A marketing message placed in transactional documents.
 *
 * @param segment the segment whose members see it, or null for every customer
 * @param priority higher goes first when several offers fit a customer
 * @param maxImpressions how many documents may show it to one customer
 * @param templates keys of the templates it may appear in; empty for every template
 * @param content Mustache HTML per locale ({@code default}, {@code pl}, {@code pl-PL}),
 * rendered and sanitised like any marketer block
 * @param version raised by every change of the offer; a change that sends the version it
 * is based on is refused when someone else changed the offer since. Null to create an
 * offer, or to replace one whatever its version.
 * @param approvedBy who approved what it shows now; null while it awaits approval, when
 * composition does not show it. Set only by approving, never by saving.
 * @param startsAt when documents may start showing it; null for at once
 * @param endsAt when documents stop showing it; null for no end
 * @param state where it stands in its review (read only)
 * @param updatedBy who changed it last (read only)
 * @param updatedAt when it was changed last (read only)
 */
public record Offer(String key, String name, @Nullable String segment, int priority, int maxImpressions,
		List<String> templates, Map<String, String> content, boolean active,
		@Schema(description = "Optimistic locking. Send back the version you read to change only that version: if someone else changed it since, the change is refused with 409 and nothing is written. Leave it out to create, or to replace whatever is stored.",
				example = "3") @Nullable Long version,
		@Schema(accessMode = Schema.AccessMode.READ_ONLY,
				description = "Who approved what the offer shows now; null while it awaits approval (documents do not show it). Any change of what it shows takes the approval away.") @Nullable String approvedBy,
		@Schema(description = "When documents may start showing the offer; absent for at once.",
				example = "2026-12-01T00:00:00Z") @Nullable Instant startsAt,
		@Schema(description = "When documents stop showing the offer (after startsAt); absent for no end.",
				example = "2027-01-01T00:00:00Z") @Nullable Instant endsAt,
		@Schema(accessMode = Schema.AccessMode.READ_ONLY,
				description = "Where the offer stands in its review; documents show only APPROVED offers.") @Nullable OfferState state,
		@Schema(accessMode = Schema.AccessMode.READ_ONLY,
				description = "Who changed the offer last.") @Nullable String updatedBy,
		@Schema(accessMode = Schema.AccessMode.READ_ONLY,
				description = "When the offer was changed last.") @Nullable Instant updatedAt) {

	public Offer {
		templates = (templates != null) ? List.copyOf(templates) : List.of();
		content = (content != null) ? Map.copyOf(content) : Map.of();
	}

	/**
	 * An offer to save whatever version is stored.
	 */
	public Offer(String key, String name, @Nullable String segment, int priority, int maxImpressions,
			List<String> templates, Map<String, String> content, boolean active) {
		this(key, name, segment, priority, maxImpressions, templates, content, active, null, null, null, null, null,
				null, null);
	}

	/**
	 * An offer to save, based on the version it names.
	 */
	public Offer(String key, String name, @Nullable String segment, int priority, int maxImpressions,
			List<String> templates, Map<String, String> content, boolean active, @Nullable Long version) {
		this(key, name, segment, priority, maxImpressions, templates, content, active, version, null, null, null, null,
				null, null);
	}

	/**
	 * An offer to save, based on the version it names, shown only between its dates.
	 */
	public Offer(String key, String name, @Nullable String segment, int priority, int maxImpressions,
			List<String> templates, Map<String, String> content, boolean active, @Nullable Long version,
			@Nullable Instant startsAt, @Nullable Instant endsAt) {
		this(key, name, segment, priority, maxImpressions, templates, content, active, version, null, startsAt, endsAt,
				null, null, null);
	}

	/**
	 * Whether documents may show it at that moment, as far as its dates go.
	 */
	public boolean showsAt(Instant moment) {
		return (this.startsAt == null || !moment.isBefore(this.startsAt))
				&& (this.endsAt == null || moment.isBefore(this.endsAt));
	}

}
