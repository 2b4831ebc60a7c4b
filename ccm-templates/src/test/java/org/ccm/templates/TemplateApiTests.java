package org.ccm.templates;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;

@TemplatesTest
class TemplateApiTests {

	@Autowired
	MockMvcTester mvc;

	static RequestPostProcessor user(String name, String... roles) {
		return (request) -> {
			request.setUserPrincipal(() -> name);
			for (String role : roles) {
				request.addUserRole(role);
			}
			return request;
		};
	}

	@Test
	void listsTheInvoiceTemplate() {
		var body = assertThat(this.mvc.get().uri("/api/v1/templates")).hasStatusOk().bodyJson();
		body.extractingPath("$[?(@.key == 'invoice')].publishedVersion").asArray().containsExactly(1);
		assertThat(this.mvc.get().uri("/api/v1/templates/invoice/versions/1")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.history[0].actor")
			.isEqualTo("system");
		assertThat(this.mvc.get().uri("/api/v1/templates/invoice/versions/1")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.version.dataSchema.required")
			.asArray()
			.contains("invoiceNumber", "lines", "total");
		assertThat(this.mvc.get().uri("/api/v1/templates/nothing-here")).hasStatus(404)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void previewsEveryChannelWithTheSampleData() {
		var body = assertThat(this.mvc.post()
			.uri("/api/v1/templates/invoice/preview")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"version\": 1}")).hasStatusOk().bodyJson();
		body.extractingPath("$.previews[*].channel").asArray().containsExactly("EMAIL", "SMS", "PRINT", "PORTAL");
		body.extractingPath("$.previews[0].subject").asString().contains("INV-2026-0001");
		body.extractingPath("$.previews[1].sms.encoding").isEqualTo("GSM-7");
		body.extractingPath("$.previews[1].sms.segments").isEqualTo(1);
		body.extractingPath("$.previews[1].smsWithinLimit").isEqualTo(true);
		body.extractingPath("$.previews[2].pdf").asString().startsWith("JVBERi0");
	}

	@Test
	void previewShowsUcs2ForPolishText() {
		var body = assertThat(this.mvc.post()
			.uri("/api/v1/templates/invoice/preview")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"channels\": [\"SMS\"], \"locale\": \"pl-PL\"}")).hasStatusOk().bodyJson();
		body.extractingPath("$.previews[0].text").asString().startsWith("Faktura INV-2026-0001");
		body.extractingPath("$.previews[0].sms.encoding").isEqualTo("UCS-2");
		body.extractingPath("$.previews[0].sms.segments").isEqualTo(2);
	}

	@Test
	void previewRefusesDataThatDoesNotMatchTheSchema() {
		var body = assertThat(this.mvc.post()
			.uri("/api/v1/templates/invoice/preview")
			.contentType(MediaType.APPLICATION_JSON)
			.content("""
					{"data": {"invoiceNumber": "X", "issueDate": "2026-11-01", "dueDate": "2026-11-30",
					  "currency": "GBP", "lines": [{"description": "a", "quantity": "two", "unitPrice": 1}]}}
					""")).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON).bodyJson();
		body.extractingPath("$.errors[*].field")
			.asArray()
			.containsExactlyInAnyOrder("data.total", "data.lines[0].quantity");
		assertThat(this.mvc.post()
			.uri("/api/v1/templates/invoice/preview")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"customer\": \"nobody-" + UUID.randomUUID() + "\"}")).hasStatus(404);
	}

	@Test
	void reviewThroughTheApi() {
		String key = "api-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(this.mvc.post()
			.uri("/api/v1/templates")
			.with(user("mia"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"key\": \"" + key + "\", \"name\": \"Notice\", \"purpose\": \"TRANSACTIONAL\","
					+ " \"channels\": [\"EMAIL\"], \"layout\": \"invoice\", \"requiredClauses\": [\"payment-terms\"]}"))
			.hasStatus(403);
		assertThat(this.mvc.post()
			.uri("/api/v1/templates")
			.with(user("brenda", "BRAND"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"key\": \"" + key + "\", \"name\": \"Notice\", \"purpose\": \"TRANSACTIONAL\","
					+ " \"channels\": [\"EMAIL\"], \"layout\": \"no-such-layout\", \"requiredClauses\": []}"))
			.hasStatus(422)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("layout");
		assertThat(this.mvc.post()
			.uri("/api/v1/templates")
			.with(user("brenda", "BRAND"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"key\": \"" + key + "\", \"name\": \"Notice\", \"purpose\": \"TRANSACTIONAL\","
					+ " \"channels\": [\"EMAIL\"], \"layout\": \"invoice\", \"requiredClauses\": [\"payment-terms\"]}"))
			.hasStatus(201);
		String draft = """
				{"content": {"subject": {"default": "Notice {{invoiceNumber}}"}, "title": {"default": "Notice"},
				  "blocks": [
				    {"key": "intro", "kind": "EDITABLE", "slot": "intro", "content": {"default": "<p>Hello</p>"}},
				    {"key": "payment-terms", "kind": "LEGAL", "slot": "legal", "content": {"default": "<p>Terms</p>"}}]},
				 "dataSchema": {"type": "object", "required": ["invoiceNumber"],
				   "properties": {"invoiceNumber": {"type": "string"}}},
				 "sampleData": {"invoiceNumber": "N-1"}}
				""";
		assertThat(this.mvc.post()
			.uri("/api/v1/templates/" + key + "/versions")
			.with(user("mia"))
			.contentType(MediaType.APPLICATION_JSON)
			.content(draft)).hasStatus(403).bodyJson().extractingPath("$.detail").asString().contains("payment-terms");
		assertThat(this.mvc.post()
			.uri("/api/v1/templates/" + key + "/versions")
			.with(user("brenda", "BRAND"))
			.contentType(MediaType.APPLICATION_JSON)
			.content(draft)).hasStatus(201).bodyJson().extractingPath("$.version").isEqualTo(1);
		assertThat(this.mvc.post()
			.uri("/api/v1/templates/" + key + "/versions/1/submit")
			.with(user("brenda", "BRAND"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"comment\": \"first\"}")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.state")
			.isEqualTo("IN_REVIEW");
		assertThat(
				this.mvc.post().uri("/api/v1/templates/" + key + "/versions/1/approve").with(user("brenda", "BRAND")))
			.hasStatus(403);
		// a caller without the approver role is refused by the service itself
		assertThat(this.mvc.post().uri("/api/v1/templates/" + key + "/versions/1/approve").with(user("carl")))
			.hasStatus(403);
		assertThat(
				this.mvc.post().uri("/api/v1/templates/" + key + "/versions/1/approve").with(user("bob", "APPROVER")))
			.hasStatusOk();
		assertThat(this.mvc.post().uri("/api/v1/templates/" + key + "/versions/1/publish").with(user("bob")))
			.hasStatusOk()
			.bodyJson()
			.extractingPath("$.state")
			.isEqualTo("PUBLISHED");
		assertThat(this.mvc.post().uri("/api/v1/templates/" + key + "/versions/1/publish").with(user("bob")))
			.hasStatus(409);
		assertThat(this.mvc.get().uri("/api/v1/templates/" + key + "/diff?from=1&to=1")).hasStatusOk()
			.bodyJson()
			.isEqualTo("[]");
		assertThat(this.mvc.get().uri("/api/v1/templates/" + key + "/versions/1")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.history[*].actor")
			.asArray()
			.containsExactly("brenda", "brenda", "bob", "bob");
	}

}
