package org.ccm.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.InteractionType;
import org.ccm.core.Timeline;
import org.ccm.core.TimelineEntry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.servlet.MvcResult;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A send through every channel, from the REST call to the SMTP server, the Twilio API,
 * the print batch folder and the portal inbox.
 */
class ChannelDeliveryTests extends DeliveryIntegrationTest {

	@Autowired
	JsonMapper json;

	@Autowired
	PortalInbox inbox;

	@Autowired
	Timeline timeline;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Test
	void invoiceIsSentOnEveryNamedChannelAndArchivedAsSent() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("everywhere"), List.of(Channel.EMAIL));
		MvcResult accepted = send(unique("key"),
				invoice(customer.externalId(), "INV-1001", "[\"EMAIL\", \"SMS\", \"PRINT\", \"PORTAL\"]"))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/v1/communications/")))
			.andExpect(jsonPath("$.status").value("ACCEPTED"))
			.andExpect(jsonPath("$.acceptedAt").isNotEmpty())
			.andReturn();
		UUID id = UUID
			.fromString(this.json.readTree(accepted.getResponse().getContentAsString()).path("id").asString());

		CommunicationView view = settled(id);
		assertThat(view.deliveries()).extracting(DeliveryView::channel)
			.containsExactlyInAnyOrder(Channel.EMAIL, Channel.SMS, Channel.PRINT, Channel.PORTAL);
		assertThat(view.deliveries()).allSatisfy((delivery) -> {
			assertThat(delivery.status()).isEqualTo(DeliveryStatus.SENT);
			assertThat(delivery.history()).extracting(StatusChange::status)
				.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENT);
		});
		JsonNode api = this.json.readTree(this.mvc.perform(get("/api/v1/communications/{id}", id))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(api.path("deliveries")).hasSize(4);
		for (JsonNode delivery : api.path("deliveries")) {
			assertThat(delivery.path("status").asString()).isEqualTo("SENT");
			assertThat(delivery.path("history").get(2).path("at").asString()).isNotBlank();
		}

		// email: both alternatives, the PDF, unsubscribe headers, tracking, and the
		// archive is what arrived
		MimeMessage received = receivedBy(customer.email().value()).get(0);
		List<String> types = new ArrayList<>();
		List<Part> parts = new ArrayList<>();
		leaves(received, types, parts);
		assertThat(types).anyMatch((type) -> type.startsWith("text/plain"))
			.anyMatch((type) -> type.startsWith("text/html"))
			.anyMatch((type) -> type.startsWith("application/pdf"));
		Part attachment = parts.stream()
			.filter((part) -> type(part).startsWith("application/pdf"))
			.findFirst()
			.orElseThrow();
		assertThat(attachment.getFileName()).isEqualTo("invoice.pdf");
		try (InputStream in = attachment.getInputStream()) {
			assertThat(in.readAllBytes()).isEqualTo(TestDocuments.PDF);
		}
		String html = (String) parts.stream()
			.filter((part) -> type(part).startsWith("text/html"))
			.findFirst()
			.orElseThrow()
			.getContent();
		assertThat(html).contains(TrackingStandIn.PIXEL + on(view, Channel.EMAIL).id());
		assertThat(received.getHeader("List-Unsubscribe", null)).contains(
				"<https://track.example.com/t/u/" + on(view, Channel.EMAIL).id() + ">",
				"<mailto:unsubscribe@example.com?subject=unsubscribe>");
		assertThat(received.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
		assertThat(received.getSubject()).isEqualTo("Invoice INV-1001 – €");

		byte[] eml = this.mvc.perform(get("/api/v1/communications/{id}/documents/email", id))
			.andExpect(status().isOk())
			.andExpect(content().contentType("message/rfc822"))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		MimeMessage archived = new MimeMessage(Session.getInstance(new java.util.Properties()),
				new ByteArrayInputStream(eml));
		assertThat(archived.getMessageID()).isEqualTo(received.getMessageID());
		for (Header archivedHeader : Collections.list(archived.getAllHeaders())) {
			assertThat(received.getHeader(archivedHeader.getName())).as(archivedHeader.getName())
				.contains(archivedHeader.getValue());
		}
		try (InputStream sentBody = archived.getRawInputStream();
				InputStream receivedBody = received.getRawInputStream()) {
			assertThat(normalise(sentBody.readAllBytes())).isEqualTo(normalise(receivedBody.readAllBytes()));
		}

		// SMS through the Twilio SDK, with the account's credentials and the form body
		// Twilio expects
		twilio
			.verify(1,
					postRequestedFor(urlEqualTo(TWILIO_MESSAGES))
						.withBasicAuth(new BasicCredentials(ACCOUNT_SID, AUTH_TOKEN))
						.withRequestBody(containing("To=%2B447911123456"))
						.withRequestBody(containing("From=%2B15005550006"))
						.withRequestBody(containing("Body=Invoice+INV-1001+is+ready"))
						.withRequestBody(containing(
								"StatusCallback=https%3A%2F%2Ftrack.example.com%2Ft%2Fsms%2Fstatus%3Fdelivery%3D"
										+ on(view, Channel.SMS).id())));
		this.mvc.perform(get("/api/v1/communications/{id}/documents/SMS", id))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/plain"))
			.andExpect(content().string("Invoice INV-1001 is ready"));

		// print: the PDF in today's batch folder and its manifest line
		UUID printId = on(view, Channel.PRINT).id();
		Path batch = printDirectory.resolve(LocalDate.now(ZoneOffset.UTC).toString());
		assertThat(Files.readAllBytes(batch.resolve(printId + ".pdf"))).isEqualTo(TestDocuments.PDF);
		CSVRecord line = manifestLine(batch, printId);
		assertThat(line.get("customer")).isEqualTo(customer.externalId());
		assertThat(line.get("name")).isEqualTo("Ada Lovelace");
		assertThat(line.get("address_line_1")).isEqualTo("12 St James's Square");
		assertThat(line.get("postcode")).isEqualTo("SW1Y 4JH");
		assertThat(line.get("country")).isEqualTo("GB");
		assertThat(line.get("pages")).isEqualTo("2");
		assertThat(line.get("file")).isEqualTo(printId + ".pdf");
		assertThat(line.get("sha256")).isEqualTo(
				HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(TestDocuments.PDF)));
		this.mvc.perform(get("/api/v1/communications/{id}/documents/print", id))
			.andExpect(status().isOk())
			.andExpect(content().contentType("application/pdf"))
			.andExpect(content().bytes(TestDocuments.PDF));

		// portal: the document is in the customer's inbox
		List<PortalDocument> documents = this.inbox.documents(customer.id());
		assertThat(documents).singleElement().satisfies((document) -> {
			assertThat(document.communicationId()).isEqualTo(id);
			assertThat(document.title()).isEqualTo("Invoice INV-1001");
			assertThat(document.read()).isFalse();
		});
		assertThat(this.inbox.pdf(customer.id(), documents.get(0).id())).contains(TestDocuments.PDF);
		assertThat(this.inbox.html(customer.id(), documents.get(0).id()))
			.contains("<article>Invoice INV-1001</article>");
		assertThat(this.inbox.documents(customer.id()).get(0).read()).isTrue();
		this.mvc.perform(get("/api/v1/communications/{id}/documents/portal", id))
			.andExpect(status().isOk())
			.andExpect(content().bytes(TestDocuments.PDF));

		// the timeline knows what was sent, and which offer was shown
		List<TimelineEntry> entries = this.timeline.page(customer.id(), null, 50).entries();
		assertThat(entries).filteredOn((entry) -> entry.type() == InteractionType.SENT)
			.extracting(TimelineEntry::channel)
			.containsExactlyInAnyOrder(Channel.EMAIL, Channel.SMS, Channel.PRINT, Channel.PORTAL);
		assertThat(entries).filteredOn((entry) -> entry.type() == InteractionType.PROPOSED)
			.singleElement()
			.satisfies((entry) -> assertThat(entry.detail()).containsEntry("offer", "green-tariff"));
	}

	@Test
	void aRedeliveredRecordDoesNotSendAgain() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("twice"), List.of(Channel.EMAIL));
		UUID first = accepted(send(unique("key"), invoice(customer.externalId(), "INV-2001", null)));
		CommunicationView view = settled(first);
		DeliveryView email = on(view, Channel.EMAIL);
		assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);

		String again = this.json
			.writeValueAsString(new DeliveryQueued(email.id(), first, customer.id(), Channel.EMAIL));
		this.kafka.send("ccm.delivery.email", customer.id().toString(), again).get();
		// a later communication on the same partition is handled after the redelivered
		// record
		UUID later = accepted(send(unique("key"), invoice(customer.externalId(), "INV-2002", null)));
		settled(later);

		assertThat(receivedBy(customer.email().value())).extracting(MimeMessage::getSubject)
			.containsExactlyInAnyOrder("Invoice INV-2001 – €", "Invoice INV-2002 – €");
		assertThat(on(this.communications.find(first).orElseThrow(), Channel.EMAIL).history())
			.extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENT);
	}

	UUID accepted(org.springframework.test.web.servlet.ResultActions result) throws Exception {
		String body = result.andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
		return UUID.fromString(this.json.readTree(body).path("id").asString());
	}

	static List<MimeMessage> receivedBy(String address) {
		return Arrays.stream(mail.getReceivedMessages()).filter((message) -> {
			try {
				return Arrays.stream(message.getAllRecipients()).anyMatch((to) -> to.toString().equals(address));
			}
			catch (jakarta.mail.MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

	private static void leaves(Part part, List<String> types, List<Part> parts) throws Exception {
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart child = multipart.getBodyPart(i);
				leaves(child, types, parts);
			}
		}
		else {
			types.add(type(part));
			parts.add(part);
		}
	}

	private static String type(Part part) {
		try {
			return part.getContentType().toLowerCase(java.util.Locale.ROOT);
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String normalise(byte[] raw) {
		return new String(raw, StandardCharsets.UTF_8).replace("\r\n", "\n").stripTrailing();
	}

	private static CSVRecord manifestLine(Path batch, UUID deliveryId) throws IOException {
		try (Reader reader = Files.newBufferedReader(batch.resolve("manifest.csv"))) {
			return CSVFormat.DEFAULT.builder()
				.setHeader()
				.setSkipHeaderRecord(true)
				.get()
				.parse(reader)
				.stream()
				.filter((record) -> record.get("delivery_id").equals(deliveryId.toString()))
				.findFirst()
				.orElseThrow();
		}
	}

}
