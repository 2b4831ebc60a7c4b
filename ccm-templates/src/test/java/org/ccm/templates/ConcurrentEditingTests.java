package org.ccm.templates;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConcurrentEditException;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two people editing one offer or one template draft: whoever saves second, based on what
 * the first has since changed, is refused instead of overwriting it.
 */
@TemplatesTest
class ConcurrentEditingTests {

	@Autowired
	Offers offers;

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	OfferRepository offerRepository;

	@Autowired
	TemplateVersionRepository versionRepository;

	@Autowired
	PlatformTransactionManager transactions;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	final String offerKey = "edited-" + this.run;

	@AfterEach
	void withdrawOffer() {
		// an active offer would appear in other tests' invoices
		this.offers.find(this.offerKey)
			.ifPresent((offer) -> this.offers.save(offer(offer.name(), false, null), GovernanceTests.MARTA));
	}

	@Test
	void anOfferChangedSinceItWasReadIsNotOverwritten() {
		Offer created = this.offers.save(offer("Spring sale", false, null), GovernanceTests.MARTA);
		assertThat(created.version()).isZero();

		Offer first = this.offers.save(offer("Spring sale, 10% off", false, created.version()), GovernanceTests.MARTA);
		assertThat(first.version()).isEqualTo(1);
		assertThatExceptionOfType(ConcurrentEditException.class)
			.isThrownBy(() -> this.offers.save(offer("Spring sale, 20% off", false, created.version()),
					GovernanceTests.MIA))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("version"))
			.withMessageContaining("offer '" + this.offerKey + "'")
			.withMessageContaining("version 0")
			.withMessageContaining("version 1");
		assertThat(this.offers.find(this.offerKey)).hasValueSatisfying((offer) -> {
			assertThat(offer.name()).isEqualTo("Spring sale, 10% off");
			assertThat(offer.version()).isEqualTo(1);
		});

		// over REST: the version read is sent back; a stale one gets 409 naming the offer
		Map<String, Object> body = new LinkedHashMap<>(
				Map.of("name", "Spring sale, 30% off", "priority", 1, "maxImpressions", 1, "templates", List.of(),
						"content", Map.of("default", "<p>Spring sale</p>"), "active", false, "version", 0));
		var conflict = assertThat(this.mvc.put()
			.uri("/api/v1/offers/{key}", this.offerKey)
			.with(TemplateApiTests.user("marta", Actor.MARKETER))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatus(409)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson();
		conflict.extractingPath("$.detail").asString().contains("offer '" + this.offerKey + "'", "version 1");
		conflict.extractingPath("$.errors[0].field").isEqualTo("version");
		body.put("version", 1);
		assertThat(this.mvc.put()
			.uri("/api/v1/offers/{key}", this.offerKey)
			.with(TemplateApiTests.user("marta", Actor.MARKETER))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatusOk()
			.bodyJson()
			.extractingPath("$.version")
			.isEqualTo(2);
		// a client that sends no version replaces whatever is stored, as before
		body.remove("version");
		assertThat(this.mvc.put()
			.uri("/api/v1/offers/{key}", this.offerKey)
			.with(TemplateApiTests.user("marta", Actor.MARKETER))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatusOk();
	}

	@Test
	void anOfferDeletedOrNeverSavedCannotBeChangedFromAVersion() {
		assertThatExceptionOfType(ConcurrentEditException.class)
			.isThrownBy(() -> this.offers.save(offer("Ghost", false, 3L), GovernanceTests.MARTA))
			.withMessageContaining("deleted");
		assertThat(this.offers.find(this.offerKey)).isEmpty();
	}

	@Test
	void aDraftChangedSinceItWasReadIsNotOverwritten() {
		String key = "edit-" + this.run;
		TemplateVersion invoice = this.authoring.version("invoice", 1);
		long read = firstDraft(key, invoice).revision();

		TemplateVersion changed = this.authoring.updateDraft(key, 1,
				new DraftRequest(GovernanceTests.withBlock(invoice.content(), "intro", "<p>First edit</p>"), null, null,
						read),
				GovernanceTests.BRENDA);
		assertThat(changed.revision()).isGreaterThan(read);
		assertThatExceptionOfType(ConcurrentEditException.class)
			.isThrownBy(() -> this.authoring.updateDraft(key, 1,
					new DraftRequest(GovernanceTests.withBlock(invoice.content(), "intro", "<p>Second edit</p>"), null,
							null, read),
					GovernanceTests.BRENDA))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("revision"))
			.withMessageContaining("version 1 of template '" + key + "'");
		assertThat(this.authoring.version(key, 1).content().blocks().get(0).content().get("default"))
			.isEqualTo("<p>First edit</p>");

		// over REST: the revision of the version document is sent back with the change
		Map<String, Object> body = new LinkedHashMap<>(Map.of("content",
				GovernanceTests.withBlock(invoice.content(), "intro", "<p>Edit over REST</p>"), "revision", read));
		var conflict = assertThat(this.mvc.put()
			.uri("/api/v1/templates/{key}/versions/1", key)
			.with(TemplateApiTests.user("brenda", Actor.BRAND))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatus(409)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson();
		conflict.extractingPath("$.detail").asString().contains("template '" + key + "'");
		conflict.extractingPath("$.errors[0].field").isEqualTo("revision");
		body.put("revision", changed.revision());
		assertThat(this.mvc.put()
			.uri("/api/v1/templates/{key}/versions/1", key)
			.with(TemplateApiTests.user("brenda", Actor.BRAND))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatusOk()
			.bodyJson()
			.extractingPath("$.revision")
			.isEqualTo((int) changed.revision() + 1);
	}

	@Test
	void anOfferWriteRacingAnotherIsRefusedByTheStoredVersion() {
		this.offers.save(offer("Summer sale", false, null), GovernanceTests.MARTA);
		assertThatExceptionOfType(OptimisticLockingFailureException.class)
			.isThrownBy(() -> inTransaction().executeWithoutResult((status) -> {
				OfferEntity mine = this.offerRepository.findById(this.offerKey).orElseThrow();
				// someone else saves between this editor's read and write
				inNewTransaction().executeWithoutResult(
						(other) -> this.offers.save(offer("Summer sale by Bob", false, null), GovernanceTests.MIA));
				mine.change(offer("Summer sale by Mia", false, null), "{}", "mia", Instant.now(), true);
				this.offerRepository.saveAndFlush(mine);
			}));
		assertThat(this.offers.find(this.offerKey)).hasValueSatisfying((offer) -> {
			assertThat(offer.name()).isEqualTo("Summer sale by Bob");
			assertThat(offer.version()).isEqualTo(1);
		});
	}

	@Test
	void aDraftWriteRacingAnotherIsRefusedByTheStoredRevision() {
		String key = "race-" + this.run;
		TemplateVersion invoice = this.authoring.version("invoice", 1);
		firstDraft(key, invoice);
		assertThatExceptionOfType(OptimisticLockingFailureException.class)
			.isThrownBy(() -> inTransaction().executeWithoutResult((status) -> {
				TemplateVersionEntity mine = this.versionRepository.findById(new TemplateVersionEntity.Key(key, 1))
					.orElseThrow();
				inNewTransaction().executeWithoutResult((other) -> this.authoring.updateDraft(key, 1,
						new DraftRequest(GovernanceTests.withBlock(invoice.content(), "intro", "<p>Theirs</p>"), null,
								null),
						GovernanceTests.BRENDA));
				mine.change("{}", mine.dataSchema(), mine.sampleData(), Instant.now());
				this.versionRepository.saveAndFlush(mine);
			}));
		assertThat(this.authoring.version(key, 1).content().blocks().get(0).content().get("default"))
			.isEqualTo("<p>Theirs</p>");
	}

	/**
	 * A new template with the invoice's content as its first draft, by the brand role.
	 */
	private TemplateVersion firstDraft(String key, TemplateVersion invoice) {
		this.authoring.create(new NewTemplate(key, "Edited invoice", Purpose.TRANSACTIONAL, Set.of(Channel.EMAIL),
				"invoice", List.of()), GovernanceTests.BRENDA);
		return this.authoring.createDraft(key,
				new DraftRequest(invoice.content(), invoice.dataSchema(), invoice.sampleData()),
				GovernanceTests.BRENDA);
	}

	private TransactionTemplate inTransaction() {
		return new TransactionTemplate(this.transactions);
	}

	private TransactionTemplate inNewTransaction() {
		TransactionTemplate template = new TransactionTemplate(this.transactions);
		template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		return template;
	}

	private Offer offer(String name, boolean active, Long version) {
		return new Offer(this.offerKey, name, null, 1, 1, List.of(), Map.of("default", "<p>" + name + "</p>"), active,
				version);
	}

}
