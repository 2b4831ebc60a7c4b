package org.ccm.templates;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

/**
 * One recorded state change of a template version: who, when, why. Never changed.
 */
@Entity
@Table(name = "template_transition")
class TemplateTransitionEntity {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	private String templateKey;

	@Column(name = "version")
	private int number;

	@Enumerated(EnumType.STRING)
	private @Nullable VersionState fromState;

	@Enumerated(EnumType.STRING)
	private VersionState toState;

	private String actor;

	private @Nullable String comment;

	private Instant occurredAt;

	protected TemplateTransitionEntity() {
		this.templateKey = "";
		this.toState = VersionState.DRAFT;
		this.actor = "";
		this.occurredAt = Instant.EPOCH;
	}

	TemplateTransitionEntity(String templateKey, int number, @Nullable VersionState from, VersionState to, String actor,
			@Nullable String comment, Instant occurredAt) {
		this.templateKey = templateKey;
		this.number = number;
		this.fromState = from;
		this.toState = to;
		this.actor = actor;
		this.comment = comment;
		this.occurredAt = occurredAt;
	}

	VersionTransition transition() {
		return new VersionTransition(this.fromState, this.toState, this.actor, this.comment, this.occurredAt);
	}

}
