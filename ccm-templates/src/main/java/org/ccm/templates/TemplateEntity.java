package org.ccm.templates;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * A template apart from its versions, as stored.
 */
@Entity
@Table(name = "template")
class TemplateEntity {

	@Id
	private String key;

	private String name;

	@Enumerated(EnumType.STRING)
	private Purpose purpose;

	@JdbcTypeCode(SqlTypes.ARRAY)
	@Column(columnDefinition = "text[]")
	private String[] channels;

	private String layout;

	@JdbcTypeCode(SqlTypes.ARRAY)
	@Column(columnDefinition = "text[]")
	private String[] requiredClauses;

	private String createdBy;

	private Instant createdAt;

	private @Nullable String topic;

	// null until persisted, which tells Spring Data a new template from an existing one
	@Version
	private @Nullable Long version;

	protected TemplateEntity() {
		this.key = "";
		this.name = "";
		this.purpose = Purpose.TRANSACTIONAL;
		this.channels = new String[0];
		this.layout = "";
		this.requiredClauses = new String[0];
		this.createdBy = "";
		this.createdAt = Instant.EPOCH;
	}

	TemplateEntity(TemplateDefinition definition) {
		this.key = definition.key();
		this.name = definition.name();
		this.purpose = definition.purpose();
		this.channels = definition.channels().stream().map(Channel::name).sorted().toArray(String[]::new);
		this.layout = definition.layout();
		this.requiredClauses = definition.requiredClauses().toArray(String[]::new);
		this.createdBy = definition.createdBy();
		this.createdAt = definition.createdAt();
		this.topic = definition.topic();
	}

	void topic(@Nullable String topic) {
		this.topic = topic;
	}

	TemplateDefinition definition() {
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		Arrays.stream(this.channels).map(Channel::valueOf).forEach(channels::add);
		return new TemplateDefinition(this.key, this.name, this.purpose, channels, this.layout,
				Arrays.asList(this.requiredClauses), this.createdBy, this.createdAt, this.topic);
	}

}
