package org.ccm.core;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.ColumnTransformer;
import org.jspecify.annotations.Nullable;

/**
 * A saved segment as stored; its rule is kept as JSON and evaluated by SQL elsewhere.
 */
@Entity
@Table(name = "segment")
class SegmentEntity {

	@Id
	private String key;

	private String name;

	@Column(columnDefinition = "jsonb")
	@ColumnTransformer(write = "?::jsonb")
	private String rule;

	private Instant createdAt;

	private Instant updatedAt;

	// null until persisted, which tells Spring Data a new segment from an existing one
	@Version
	private @Nullable Long version;

	protected SegmentEntity() {
		this.key = "";
		this.name = "";
		this.rule = "{}";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	SegmentEntity(String key, Instant createdAt) {
		this();
		this.key = key;
		this.createdAt = createdAt;
	}

	void change(String name, String rule, Instant now) {
		this.name = name;
		this.rule = rule;
		this.updatedAt = now;
	}

	String key() {
		return this.key;
	}

	String name() {
		return this.name;
	}

	String rule() {
		return this.rule;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	Instant updatedAt() {
		return this.updatedAt;
	}

	long version() {
		return (this.version != null) ? this.version : 0;
	}

	boolean isNew() {
		return this.version == null;
	}

}
