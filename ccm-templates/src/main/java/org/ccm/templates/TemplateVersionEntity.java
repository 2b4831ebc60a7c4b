package org.ccm.templates;

import java.io.Serializable;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.DynamicUpdate;

/**
 * One version of a template as stored, its content kept as JSON. The database itself
 * refuses to change the content of a version that left the draft state.
 */
@Entity
@Table(name = "template_version")
// a transition writes the state only, never the content again
@DynamicUpdate
@IdClass(TemplateVersionEntity.Key.class)
class TemplateVersionEntity {

	@Id
	private String templateKey;

	@Id
	@Column(name = "version")
	private int number;

	@Enumerated(EnumType.STRING)
	private VersionState state;

	private String author;

	@Column(columnDefinition = "jsonb")
	@ColumnTransformer(write = "?::jsonb")
	private String content;

	@Column(columnDefinition = "jsonb")
	@ColumnTransformer(write = "?::jsonb")
	private String dataSchema;

	@Column(columnDefinition = "jsonb")
	@ColumnTransformer(write = "?::jsonb")
	private String sampleData;

	private Instant createdAt;

	private Instant updatedAt;

	// "version" is the version's number: this counts the changes of one version
	@Version
	private long revision;

	protected TemplateVersionEntity() {
		this.templateKey = "";
		this.state = VersionState.DRAFT;
		this.author = "";
		this.content = "{}";
		this.dataSchema = "{}";
		this.sampleData = "{}";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	TemplateVersionEntity(String templateKey, int number, String author, String content, String dataSchema,
			String sampleData, Instant now) {
		this();
		this.templateKey = templateKey;
		this.number = number;
		this.author = author;
		this.content = content;
		this.dataSchema = dataSchema;
		this.sampleData = sampleData;
		this.createdAt = now;
		this.updatedAt = now;
	}

	void change(String content, String dataSchema, String sampleData, Instant now) {
		this.content = content;
		this.dataSchema = dataSchema;
		this.sampleData = sampleData;
		this.updatedAt = now;
	}

	void move(VersionState to, Instant now) {
		this.state = to;
		this.updatedAt = now;
	}

	String templateKey() {
		return this.templateKey;
	}

	int number() {
		return this.number;
	}

	VersionState state() {
		return this.state;
	}

	String author() {
		return this.author;
	}

	String content() {
		return this.content;
	}

	String dataSchema() {
		return this.dataSchema;
	}

	String sampleData() {
		return this.sampleData;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	Instant updatedAt() {
		return this.updatedAt;
	}

	long revision() {
		return this.revision;
	}

	record Key(String templateKey, int number) implements Serializable {

		Key() {
			this("", 0);
		}

	}

}
