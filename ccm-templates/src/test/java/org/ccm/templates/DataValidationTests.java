package org.ccm.templates;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@TemplatesTest
class DataValidationTests {

	@Autowired
	Templates templates;

	@Test
	void validDataIsAccepted() {
		assertThat(this.templates.validate("invoice", TestCustomers.invoice("INV-1")).publishedVersion()).isEqualTo(1);
	}

	@Test
	void everyMissingOrMistypedFieldIsNamed() {
		Map<String, Object> data = new HashMap<>(TestCustomers.invoice("INV-1"));
		data.remove("total");
		data.put("issueDate", 42);
		data.put("dueDate", "30/11/2026");
		data.put("lines", List.of(Map.of("description", "Electricity", "quantity", "one", "unitPrice", 1.5),
				Map.of("quantity", 2, "unitPrice", 1)));
		assertThatExceptionOfType(InvalidTemplateDataException.class)
			.isThrownBy(() -> this.templates.validate("invoice", data))
			.satisfies((ex) -> {
				assertThat(ex.violations()).extracting(DataViolation::field)
					.containsExactlyInAnyOrder("/total", "/issueDate", "/dueDate", "/lines/0/quantity",
							"/lines/1/description");
				assertThat(ex.violations()).filteredOn((v) -> v.field().equals("/total"))
					.extracting(DataViolation::message)
					.containsExactly("is required");
				assertThat(ex.violations()).allSatisfy((v) -> assertThat(v.message()).isNotBlank());
			});
	}

	@Test
	void anUnknownTemplateIsRefused() {
		assertThatExceptionOfType(UnknownTemplateException.class)
			.isThrownBy(() -> this.templates.validate("no-such-template", Map.of()))
			.satisfies((ex) -> assertThat(ex.templateKey()).isEqualTo("no-such-template"));
	}

}
