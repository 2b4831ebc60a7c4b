package org.ccm.templates;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * A targeted offer as stored; its impressions and claims are counted by SQL elsewhere.
 */
@Entity
@Table(name = "template_offer")
class OfferEntity {

	@Id
	private String key;

	private String name;

	private @Nullable String segmentKey;

	private int priority;

	private int maxImpressions;

	@JdbcTypeCode(SqlTypes.ARRAY)
	@Column(columnDefinition = "text[]")
	private String[] templates;

	@Column(columnDefinition = "jsonb")
	@ColumnTransformer(write = "?::jsonb")
	private String content;

	private boolean active;

	private String updatedBy;

	private Instant updatedAt;

	private @Nullable String approvedBy;

	private @Nullable Instant approvedAt;

	private boolean everApproved;

	private @Nullable Instant startsAt;

	private @Nullable Instant endsAt;

	private @Nullable String submittedBy;

	private @Nullable Instant submittedAt;

	// what was approved last, as the offer's JSON, for the review of the next change
	@Column(columnDefinition = "jsonb")
	@ColumnTransformer(write = "?::jsonb")
	private @Nullable String approvedSnapshot;

	// null until persisted, which tells Spring Data a new offer from an existing one
	@Version
	private @Nullable Long version;

	protected OfferEntity() {
		this.key = "";
		this.name = "";
		this.templates = new String[0];
		this.content = "{}";
		this.updatedBy = "";
		this.updatedAt = Instant.EPOCH;
	}

	OfferEntity(String key) {
		this();
		this.key = key;
	}

	/**
	 * @param shownChanged whether what documents would show changed (anything but
	 * switching it on or off), which takes the approval away
	 */
	void change(Offer offer, String content, String updatedBy, Instant now, boolean shownChanged) {
		if (shownChanged) {
			// what was approved or submitted is no longer what it shows
			this.approvedBy = null;
			this.approvedAt = null;
			this.submittedBy = null;
			this.submittedAt = null;
		}
		this.name = offer.name().strip();
		this.segmentKey = offer.segment();
		this.priority = offer.priority();
		this.maxImpressions = offer.maxImpressions();
		this.templates = offer.templates().toArray(String[]::new);
		this.content = content;
		this.active = offer.active();
		this.startsAt = offer.startsAt();
		this.endsAt = offer.endsAt();
		this.updatedBy = updatedBy;
		this.updatedAt = now;
	}

	void approve(String approver, Instant now, String snapshot) {
		this.approvedBy = approver;
		this.approvedAt = now;
		this.everApproved = true;
		this.approvedSnapshot = snapshot;
		this.submittedBy = null;
		this.submittedAt = null;
	}

	void submit(String submitter, Instant now) {
		this.submittedBy = submitter;
		this.submittedAt = now;
	}

	void reject() {
		this.submittedBy = null;
		this.submittedAt = null;
	}

	void retire(String by, Instant now) {
		this.active = false;
		this.updatedBy = by;
		this.updatedAt = now;
	}

	OfferState state() {
		if (!this.active) {
			return OfferState.RETIRED;
		}
		if (approved()) {
			return OfferState.APPROVED;
		}
		return (this.submittedAt != null) ? OfferState.IN_REVIEW : OfferState.DRAFT;
	}

	@Nullable Instant startsAt() {
		return this.startsAt;
	}

	@Nullable Instant endsAt() {
		return this.endsAt;
	}

	@Nullable String submittedBy() {
		return this.submittedBy;
	}

	@Nullable String approvedSnapshot() {
		return this.approvedSnapshot;
	}

	Instant updatedAt() {
		return this.updatedAt;
	}

	String key() {
		return this.key;
	}

	@Nullable String approvedBy() {
		return this.approvedBy;
	}

	boolean approved() {
		return this.approvedAt != null;
	}

	boolean everApproved() {
		return this.everApproved;
	}

	String updatedBy() {
		return this.updatedBy;
	}

	String name() {
		return this.name;
	}

	@Nullable String segmentKey() {
		return this.segmentKey;
	}

	int priority() {
		return this.priority;
	}

	int maxImpressions() {
		return this.maxImpressions;
	}

	String[] templates() {
		return this.templates;
	}

	String content() {
		return this.content;
	}

	boolean active() {
		return this.active;
	}

	long version() {
		return (this.version != null) ? this.version : 0;
	}

}
