package org.ccm.templates;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.Customers;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@TemplatesTest
class ProofSetsTests {

	static final Actor BRENDA = new Actor("brenda", Set.of(Actor.BRAND));

	@Autowired
	ProofSets proofSets;

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	Customers customers;

	String key;

	TemplateVersion invoice;

	@BeforeEach
	void template() {
		this.key = "proof-" + UUID.randomUUID().toString().substring(0, 8);
		this.invoice = this.authoring.version("invoice", 1);
		this.authoring.create(new NewTemplate(this.key, "Proofed invoice", Purpose.TRANSACTIONAL, Set.of(Channel.EMAIL),
				"invoice", List.of()), BRENDA);
		this.authoring.createDraft(this.key,
				new DraftRequest(this.invoice.content(), this.invoice.dataSchema(), this.invoice.sampleData()), BRENDA);
	}

	@Test
	void proofSetsKeepACustomerAndDataThatFitTheTemplate() {
		String polish = this.customers.upsert("PL-" + UUID.randomUUID(),
				new CustomerDetails("Zofia Łęcka", Locale.forLanguageTag("pl-PL"), null, "zofia@example.com", null,
						new PostalAddress(List.of("ul. Długa 1"), "00-001", "Warszawa", "PL", ContactState.VERIFIED),
						Map.of(), Map.of(), null, List.of()))
			.externalId();
		Map<String, Object> longInvoice = new HashMap<>(this.invoice.sampleData());
		longInvoice.put("invoiceNumber", "INV-LONG");
		this.proofSets.add(this.key, " Polish customer ", polish, null, BRENDA);
		this.proofSets.add(this.key, "Long invoice", null, longInvoice, BRENDA);

		assertThat(this.proofSets.of(this.key)).extracting(ProofSet::name)
			.containsExactly("Long invoice", "Polish customer");
		ProofSet set = this.proofSets.find(this.key, "Polish customer").orElseThrow();
		assertThat(set.customer()).isEqualTo(polish);
		assertThat(set.data()).isNull();
		assertThat(set.createdBy()).isEqualTo("brenda");
		assertThat(this.proofSets.find(this.key, "Long invoice").orElseThrow().data()).containsEntry("invoiceNumber",
				"INV-LONG");

		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.proofSets.add(this.key, "Long invoice", null, null, BRENDA));
		assertThat(this.proofSets.remove(this.key, "Long invoice")).isTrue();
		assertThat(this.proofSets.of(this.key)).hasSize(1);
	}

	@Test
	void aProofSetWithAnUnknownCustomerOrDataThatDoesNotFitIsRefusedByField() {
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.proofSets.add(this.key, "", "nobody-" + UUID.randomUUID(),
					Map.of("invoiceNumber", 42), BRENDA))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(DataViolation::field)
				.contains("name", "customer", "data/invoiceNumber"));
		assertThat(this.proofSets.of(this.key)).isEmpty();
	}

}
