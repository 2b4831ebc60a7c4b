package org.ccm.templates;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the studio relies on: saves that refuse to overwrite a newer draft, rejection back
 * to the author, and naming what the sanitiser would remove.
 */
@TemplatesTest
class DraftEditingTests {

	static final Actor BRENDA = new Actor("brenda", Set.of(Actor.BRAND));

	static final Actor MIA = new Actor("mia", Set.of());

	static final Actor BOB = new Actor("bob", Set.of(Actor.APPROVER));

	@Autowired
	TemplateAuthoring authoring;

	String key;

	TemplateVersion invoice;

	@BeforeEach
	void newTemplate() {
		this.key = "edit-" + UUID.randomUUID().toString().substring(0, 8);
		this.invoice = this.authoring.version("invoice", 1);
		this.authoring.create(new NewTemplate(this.key, "Edited invoice", Purpose.TRANSACTIONAL,
				Set.of(Channel.EMAIL, Channel.SMS), "invoice", List.of("payment-terms")), BRENDA);
		// the brand team sets up the first version; marketers draft from it
		this.authoring.createDraft(this.key, draft("<p>Welcome</p>"), BRENDA);
		this.authoring.submit(this.key, 1, BRENDA, null);
		this.authoring.approve(this.key, 1, BOB, null);
		this.authoring.publish(this.key, 1, BOB, null);
	}

	@Test
	void onlyTheAuthorDiscardsADraftAndNothingReviewedIsEverDeleted() {
		this.authoring.createDraft(this.key, draft("<p>Scratch</p>"), MIA);
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.discardDraft(this.key, 2, BOB))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		this.authoring.discardDraft(this.key, 2, MIA);
		assertThatExceptionOfType(TemplateNotFoundException.class)
			.isThrownBy(() -> this.authoring.version(this.key, 2));

		this.authoring.createDraft(this.key, draft("<p>For review</p>"), MIA);
		int inReview = this.authoring.versions(this.key)
			.stream()
			.mapToInt(TemplateVersion::version)
			.max()
			.orElseThrow();
		this.authoring.submit(this.key, inReview, MIA, null);
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.discardDraft(this.key, inReview, MIA))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.CONFLICT));
		// the published version is retired, never deleted
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.discardDraft(this.key, 1, BRENDA))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.CONFLICT));
		assertThat(this.authoring.version(this.key, 1).state()).isEqualTo(VersionState.PUBLISHED);
	}

	@Test
	void aSaveStartedFromAnOlderReadIsRefusedAndOverwritesNothing() {
		TemplateVersion draft = this.authoring.createDraft(this.key, draft("<p>First</p>"), MIA);
		TemplateVersion saved = this.authoring.updateDraft(this.key, 2, draft("<p>Second</p>"), MIA, draft.updatedAt());
		assertThat(saved.updatedAt()).isAfter(draft.updatedAt());

		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.updateDraft(this.key, 2, draft("<p>Stale</p>"), MIA, draft.updatedAt()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.CONFLICT))
			.withMessageContaining("after you opened it");
		assertThat(intro(this.authoring.version(this.key, 2))).isEqualTo("<p>Second</p>");
	}

	@Test
	void aReviewerSendsAVersionBackWithAReasonButNeverTheirOwn() {
		this.authoring.createDraft(this.key, draft("<p>Hello</p>"), MIA);
		this.authoring.submit(this.key, 2, MIA, "please look");

		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.reject(this.key, 2, MIA, "not happy"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.authoring.reject(this.key, 2, BOB, " "));

		TemplateVersion rejected = this.authoring.reject(this.key, 2, BOB, "Say who we are");
		assertThat(rejected.state()).isEqualTo(VersionState.DRAFT);
		assertThat(this.authoring.history(this.key, 2)).last().satisfies((step) -> {
			assertThat(step.from()).isEqualTo(VersionState.IN_REVIEW);
			assertThat(step.to()).isEqualTo(VersionState.DRAFT);
			assertThat(step.actor()).isEqualTo("bob");
			assertThat(step.comment()).isEqualTo("Say who we are");
		});
		// back with its author, who may change it again
		this.authoring.updateDraft(this.key, 2, draft("<p>Hello from Example Energy</p>"), MIA);
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.reject(this.key, 2, BOB, "again"));
	}

	@Test
	void theSanitiserNamesWhatItWouldRemove() {
		assertThat(this.authoring.sanitiserRemovals("<h2>Offer</h2><p><strong>Hi</strong> {{customer.name}}</p>"))
			.isEmpty();
		assertThat(this.authoring
			.sanitiserRemovals("<p onclick=\"steal()\">Hi</p><script>alert(1)</script><iframe src=x></iframe>"))
			.containsExactly("onclick on <p>", "<script>", "<iframe>");
	}

	@Test
	void nonGsmCharactersAreNamedOnce() {
		assertThat(SmsEncoding.nonGsmCharacters("Zażółć €10 – ok ż")).containsExactly("ż", "ó", "ł", "ć", "–");
		assertThat(SmsEncoding.nonGsmCharacters("Plain text, €5 [ok]")).isEmpty();
		assertThat(this.authoring.smsMaxSegments()).isEqualTo(3);
	}

	private DraftRequest draft(String intro) {
		return new DraftRequest(GovernanceTests.withBlock(this.invoice.content(), "intro", intro),
				this.invoice.dataSchema(), this.invoice.sampleData());
	}

	private static String intro(TemplateVersion version) {
		return version.content()
			.blocks()
			.stream()
			.filter((block) -> block.key().equals("intro"))
			.findFirst()
			.orElseThrow()
			.content()
			.get("default");
	}

}
