package org.ccm.templates;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TemplatesTest
class GovernanceTests {

	static final Actor BRENDA = new Actor("brenda", Set.of(Actor.BRAND));

	static final Actor MIA = new Actor("mia", Set.of(Actor.MARKETER));

	/** Writes offers and submits them. */
	static final Actor MARTA = new Actor("marta", Set.of(Actor.MARKETER));

	static final Actor BOB = new Actor("bob", Set.of(Actor.APPROVER));

	static final Actor ANN = new Actor("ann", Set.of(Actor.APPROVER));

	/** A marketer who did not write the version: may still not approve it. */
	static final Actor CARL = new Actor("carl", Set.of());

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	Templates templates;

	@Autowired
	Compositions compositions;

	@Autowired
	JdbcClient jdbc;

	String key;

	TemplateVersion invoice;

	@BeforeEach
	void newTemplate() {
		this.key = "gov-" + UUID.randomUUID().toString().substring(0, 8);
		this.invoice = this.authoring.version("invoice", 1);
		this.authoring.create(new NewTemplate(this.key, "Governed invoice", Purpose.TRANSACTIONAL,
				Set.of(Channel.EMAIL, Channel.SMS, Channel.PRINT), "invoice",
				List.of("payment-terms", "company-details")), BRENDA);
	}

	@Test
	void onlyTheBrandRoleCreatesTemplates() {
		assertThatExceptionOfType(GovernanceException.class).isThrownBy(() -> this.authoring.create(
				new NewTemplate("by-mia", "x", Purpose.MARKETING, Set.of(Channel.EMAIL), "invoice", List.of()), MIA))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
	}

	@Test
	void aVersionGoesFromDraftToPublishedWithFourEyesAndEveryStepAudited() {
		TemplateVersion first = this.authoring.createDraft(this.key, draft(this.invoice.content()), BRENDA);
		assertThat(first.version()).isEqualTo(1);
		assertThat(first.state()).isEqualTo(VersionState.DRAFT);
		publish(1, BRENDA, BOB);
		assertThat(this.templates.findPublished(this.key))
			.hasValueSatisfying((s) -> assertThat(s.publishedVersion()).isEqualTo(1));

		// a marketer edits the editable intro
		TemplateVersion second = this.authoring.createDraft(this.key, draft(withBlock(this.invoice.content(), "intro",
				"<p>Hello {{customer.name}}, here is {{invoiceNumber}}.</p>")), MIA);
		assertThat(second.version()).isEqualTo(2);
		TemplateVersion edited = this.authoring.updateDraft(this.key, 2, draft(
				withBlock(this.invoice.content(), "intro", "<p>Hi {{customer.name}}, invoice {{invoiceNumber}}.</p>")),
				MIA);
		assertThat(edited.content().blocks().get(0).content().get("default")).startsWith("<p>Hi ");
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.updateDraft(this.key, 2, draft(this.invoice.content()), BOB))
			.withMessageContaining("author");

		this.authoring.submit(this.key, 2, MIA, "new greeting");
		// immutable once submitted, in the code and in the database
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.updateDraft(this.key, 2, draft(this.invoice.content()), MIA))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.CONFLICT));
		assertThatThrownBy(() -> this.jdbc
			.sql("UPDATE template_version SET content = '{}'::jsonb WHERE template_key = ? AND version = 2")
			.param(this.key)
			.update()).hasMessageContaining("cannot change");

		// four eyes: the author cannot approve
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.approve(this.key, 2, MIA, "looks good to me"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		// nor can anyone without the approver role, whatever page or endpoint calls
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.approve(this.key, 2, CARL, "fine by me"))
			.withMessageContaining("only an approver may approve")
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.reject(this.key, 2, BRENDA, "no"))
			.withMessageContaining("only an approver may reject");
		assertThat(this.authoring.version(this.key, 2).state()).isEqualTo(VersionState.IN_REVIEW);
		// publishing needs approval first
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.publish(this.key, 2, BOB, null));
		this.authoring.approve(this.key, 2, BOB, "approved");
		this.authoring.publish(this.key, 2, BOB, "go live");

		assertThat(this.authoring.version(this.key, 1).state()).isEqualTo(VersionState.RETIRED);
		assertThat(this.authoring.version(this.key, 2).state()).isEqualTo(VersionState.PUBLISHED);
		assertThat(this.templates.findPublished(this.key))
			.hasValueSatisfying((s) -> assertThat(s.publishedVersion()).isEqualTo(2));
		ComposedDocument email = this.compositions.compose(new Composition(this.key, null, Channel.EMAIL,
				TestCustomers.alice(), TestCustomers.invoice("INV-GOV")));
		assertThat(email.templateVersion()).isEqualTo(2);
		assertThat(email.html()).contains("Hi Alice Martin, invoice INV-GOV.");
		assertThatExceptionOfType(UnsupportedChannelException.class)
			.isThrownBy(() -> this.compositions.compose(new Composition(this.key, null, Channel.PORTAL,
					TestCustomers.alice(), TestCustomers.invoice("INV-GOV"))));

		List<VersionTransition> history = this.authoring.history(this.key, 2);
		assertThat(history).extracting(VersionTransition::to)
			.containsExactly(VersionState.DRAFT, VersionState.IN_REVIEW, VersionState.APPROVED, VersionState.PUBLISHED);
		assertThat(history).extracting(VersionTransition::actor).containsExactly("mia", "mia", "bob", "bob");
		assertThat(history).extracting(VersionTransition::comment).contains("new greeting", "approved", "go live");
		assertThat(this.authoring.history(this.key, 1)).last()
			.satisfies((t) -> assertThat(t.comment()).isEqualTo("replaced by version 2"));
		assertThat(this.jdbc.sql("SELECT count(*) FROM template_version WHERE template_key = ? AND state = 'PUBLISHED'")
			.param(this.key)
			.query(Integer.class)
			.single()).isEqualTo(1);

		List<VersionChange> diff = this.authoring.diff(this.key, 1, 2);
		assertThat(diff).singleElement().satisfies((change) -> {
			assertThat(change.path()).isEqualTo("blocks.intro.default");
			assertThat(change.kind()).isEqualTo(VersionChange.Kind.CHANGED);
			assertThat(change.after()).contains("Hi {{customer.name}}");
		});
	}

	@Test
	void lockedBlocksChangeOnlyWithTheBrandRole() {
		this.authoring.createDraft(this.key, draft(this.invoice.content()), BRENDA);
		publish(1, BRENDA, BOB);
		TemplateContent newTerms = withBlock(this.invoice.content(), "payment-terms", "<p>Pay whenever.</p>");
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.createDraft(this.key, draft(newTerms), MIA))
			.withMessageContaining("payment-terms")
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		TemplateContent withoutFooter = without(this.invoice.content(), "company-details");
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.createDraft(this.key, draft(withoutFooter), MIA))
			.withMessageContaining("company-details");
		TemplateContent unlocked = relabel(this.invoice.content(), "payment-terms", BlockKind.EDITABLE);
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.createDraft(this.key, draft(unlocked), MIA));
		assertThat(this.authoring.createDraft(this.key, draft(newTerms), BRENDA).version()).isEqualTo(2);
	}

	@Test
	void publishingFailsWhenARequiredClauseIsMissing() {
		TemplateContent withoutTerms = without(this.invoice.content(), "payment-terms");
		this.authoring.createDraft(this.key, draft(withoutTerms), BRENDA);
		this.authoring.submit(this.key, 1, BRENDA, null);
		this.authoring.approve(this.key, 1, BOB, null);
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.authoring.publish(this.key, 1, BOB, null))
			.satisfies((ex) -> assertThat(ex.problems()).singleElement()
				.satisfies((p) -> assertThat(p.message()).contains("payment-terms")));
		assertThat(this.templates.findPublished(this.key)).isEmpty();
		assertThat(this.authoring.version(this.key, 1).state()).isEqualTo(VersionState.APPROVED);
	}

	@Test
	void refusedTemplateConstructsAreReportedWhenTheDraftIsSaved() {
		TemplateContent partial = withBlock(this.invoice.content(), "intro", "<p>{{> secrets}}</p>");
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.authoring.createDraft(this.key, draft(partial), BRENDA))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(DataViolation::field)
				.containsExactly("content.blocks[0].content.default"));
		TemplateContent unescaped = withBlock(this.invoice.content(), "intro", "<p>{{{invoiceNumber}}}</p>");
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.authoring.createDraft(this.key, draft(unescaped), BRENDA));
	}

	@Test
	void anSmsLongerThanTheConfiguredMaximumCannotBeSubmitted() {
		TemplateContent content = this.invoice.content();
		TemplateContent longSms = new TemplateContent(content.title(), content.subject(),
				Map.of("default", "Invoice {{invoiceNumber}} " + "x".repeat(480)), true, content.blocks());
		this.authoring.createDraft(this.key, draft(longSms), BRENDA);
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.authoring.submit(this.key, 1, BRENDA, null))
			.satisfies((ex) -> assertThat(ex.problems()).singleElement().satisfies((p) -> {
				assertThat(p.field()).isEqualTo("content.sms.default");
				assertThat(p.message()).contains("4 GSM-7 segments").contains("at most 3");
			}));
	}

	@Test
	void aMarketingLetterUsesTheGenericLayout() throws Exception {
		String letter = "letter-" + UUID.randomUUID().toString().substring(0, 8);
		this.authoring.create(new NewTemplate(letter, "Autumn news", Purpose.MARKETING,
				Set.of(Channel.EMAIL, Channel.PRINT), "letter", List.of("company-details")), BRENDA);
		Block footer = this.invoice.content()
			.blocks()
			.stream()
			.filter((block) -> block.key().equals("company-details"))
			.findFirst()
			.orElseThrow();
		TemplateContent content = new TemplateContent(Map.of("default", "Autumn news"),
				Map.of("default", "{{customer.name}}, autumn news", "pl", "{{customer.name}}, jesienne nowości"),
				Map.of(), false, List.of(
						new Block("intro", BlockKind.EDITABLE, "intro",
								Map.of("default", "<p>Dear {{customer.name}}, our {{season}} offers are here.</p>")),
						footer));
		this.authoring.createDraft(letter, new DraftRequest(content,
				"{\"type\": \"object\", \"required\": [\"season\"], \"properties\": {\"season\": {\"type\": \"string\"}}}",
				Map.of("season", "autumn")), BRENDA);
		this.authoring.submit(letter, 1, BRENDA, null);
		this.authoring.approve(letter, 1, BOB, null);
		this.authoring.publish(letter, 1, BOB, null);
		ComposedDocument email = this.compositions
			.compose(new Composition(letter, null, Channel.EMAIL, TestCustomers.zofia(), Map.of("season", "autumn")));
		assertThat(email.subject()).isEqualTo("Zofia Łącka, jesienne nowości");
		assertThat(email.html()).contains("our autumn offers are here").contains("Zobacz online");
		assertThat(email.pdf()).isNull();
		ComposedDocument print = this.compositions
			.compose(new Composition(letter, null, Channel.PRINT, TestCustomers.alice(), Map.of("season", "autumn")));
		assertThat(InvoiceCompositionTests.pdfText(print.pdf())).contains("Alice Martin", "OXFORD",
				"our autumn offers are here", "Registered in England");
		PdfConformanceTests.assertCompliant(print.pdf(), org.verapdf.pdfa.flavours.PDFAFlavour.PDFA_3_U);
	}

	@Test
	void theSampleDataMustMatchTheSchema() {
		Map<String, Object> sample = new HashMap<>(this.invoice.sampleData());
		sample.remove("total");
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.authoring.createDraft(this.key,
					new DraftRequest(this.invoice.content(), this.invoice.dataSchema(), sample), BRENDA))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(DataViolation::field)
				.containsExactly("sampleData/total"));
	}

	private void publish(int version, Actor author, Actor reviewer) {
		this.authoring.submit(this.key, version, author, "please review");
		this.authoring.approve(this.key, version, reviewer, "ok");
		this.authoring.publish(this.key, version, reviewer, "publish");
	}

	private DraftRequest draft(TemplateContent content) {
		return new DraftRequest(content, this.invoice.dataSchema(), this.invoice.sampleData());
	}

	static TemplateContent withBlock(TemplateContent content, String key, String text) {
		List<Block> blocks = new ArrayList<>();
		for (Block block : content.blocks()) {
			Map<String, String> texts = new HashMap<>(block.content());
			texts.put("default", text);
			blocks.add(block.key().equals(key) ? new Block(key, block.kind(), block.slot(), texts) : block);
		}
		return new TemplateContent(content.title(), content.subject(), content.sms(), content.attachPdfToEmail(),
				blocks);
	}

	static TemplateContent without(TemplateContent content, String key) {
		return new TemplateContent(content.title(), content.subject(), content.sms(), content.attachPdfToEmail(),
				content.blocks().stream().filter((block) -> !block.key().equals(key)).toList());
	}

	static TemplateContent relabel(TemplateContent content, String key, BlockKind kind) {
		return new TemplateContent(content.title(), content.subject(), content.sms(), content.attachPdfToEmail(),
				content.blocks()
					.stream()
					.map((block) -> block.key().equals(key) ? new Block(key, kind, block.slot(), block.content())
							: block)
					.toList());
	}

}
